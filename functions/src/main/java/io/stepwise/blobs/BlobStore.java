package io.stepwise.blobs;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Bytes too large for an item (big step outputs, images): S3 on AWS, a directory locally. */
public interface BlobStore {

  /**
   * Stores the bytes under the key, replacing what was there; returns a URI that names the object.
   */
  String put(String key, byte[] bytes, String contentType);

  Optional<byte[]> get(String key);

  /**
   * A URL that lets whoever holds it read the object directly for {@code validFor}, when this store
   * can give one (S3: a presigned GET); empty when the bytes must be served through {@link #get}
   * instead.
   */
  default Optional<URI> presignedGet(String key, Duration validFor) {
    return Optional.empty();
  }
}
