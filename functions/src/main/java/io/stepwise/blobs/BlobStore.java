package io.stepwise.blobs;

import java.util.Optional;

/** Bytes too large for an item (big step outputs, images): S3 on AWS, a directory locally. */
public interface BlobStore {

  /** Stores the bytes under the key, replacing what was there; returns a URI that names the object. */
  String put(String key, byte[] bytes, String contentType);

  Optional<byte[]> get(String key);
}
