package io.stepwise.store;

import io.stepwise.blobs.BlobStore;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Blob store on an S3 bucket (AWS). */
@Singleton
@Requires(property = "stepwise.blobs.bucket")
public class S3BlobStore implements BlobStore {

  private final S3Client s3;
  private final String bucket;

  public S3BlobStore(S3Client s3, @Value("${stepwise.blobs.bucket}") String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  @Override
  public String put(String key, byte[] bytes, String contentType) {
    s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
    return "s3://" + bucket + "/" + key;
  }

  @Override
  public Optional<byte[]> get(String key) {
    try {
      return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    }
  }
}
