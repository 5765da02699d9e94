package io.stepwise.store;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.stepwise.blobs.BlobStore;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Blob store on an S3 bucket (AWS). Presigned links are signed locally with the client's own
 * region, credentials and endpoint (no call to S3), so they carry the function role's permission to
 * read the object: a link works only while that role may {@code s3:GetObject}.
 */
@Singleton
@Requires(property = "stepwise.blobs.bucket")
public class S3BlobStore implements BlobStore {

  private final S3Client s3;
  private final String bucket;
  private final S3Presigner presigner;

  public S3BlobStore(S3Client s3, @Value("${stepwise.blobs.bucket}") String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
    this.presigner = presignerLike(s3);
  }

  @Override
  public String put(String key, byte[] bytes, String contentType) {
    s3.putObject(
        b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
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

  @Override
  public Optional<URI> presignedGet(String key, Duration validFor) {
    var request =
        presigner.presignGetObject(
            p -> p.signatureDuration(validFor).getObjectRequest(g -> g.bucket(bucket).key(key)));
    try {
      return Optional.of(request.url().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the SDK presigned an invalid URL for " + key, e);
    }
  }

  /**
   * A presigner with the client's region, credentials and endpoint. {@code
   * S3Presigner.Builder#s3Client} keeps neither an endpoint override nor path-style addressing,
   * which an S3-compatible server (S3Mock, LocalStack) behind an override needs; on AWS there is no
   * override and links use the virtual-hosted bucket name.
   */
  private static S3Presigner presignerLike(S3Client s3) {
    var config = s3.serviceClientConfiguration();
    S3Presigner.Builder builder =
        S3Presigner.builder()
            .region(config.region())
            .credentialsProvider(config.credentialsProvider());
    config
        .endpointOverride()
        .ifPresent(
            endpoint ->
                builder
                    .endpointOverride(endpoint)
                    .serviceConfiguration(
                        S3Configuration.builder().pathStyleAccessEnabled(true).build()));
    return builder.build();
  }

  @PreDestroy
  void close() {
    presigner.close();
  }
}
