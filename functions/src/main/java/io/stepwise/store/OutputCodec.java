package io.stepwise.store;

import io.stepwise.blobs.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How a step output is kept on its checkpoint item: inline text when small, gzip above a threshold,
 * and a blob-store pointer when even the gzip would crowd DynamoDB's 400 KB item limit.
 */
final class OutputCodec {

  static final String INLINE = "output";
  static final String GZIP = "outputGz";
  static final String POINTER = "outputRef";

  /** Every attribute that may hold the output. */
  static final java.util.List<String> ATTRIBUTES = java.util.List.of(INLINE, GZIP, POINTER);

  private final BlobStore blobs;
  private final int gzipThreshold;
  private final int inlineLimit;

  OutputCodec(BlobStore blobs, int gzipThreshold, int inlineLimit) {
    this.blobs = blobs;
    this.gzipThreshold = gzipThreshold;
    this.inlineLimit = inlineLimit;
  }

  /** Attributes that hold the output; {@code blobKey} names the blob if one is needed. */
  Map<String, AttributeValue> encode(String json, String blobKey) {
    byte[] raw = json.getBytes(StandardCharsets.UTF_8);
    if (raw.length <= gzipThreshold) {
      return Attrs.of().s(INLINE, json).build();
    }
    byte[] gz = gzip(raw);
    if (gz.length <= inlineLimit) {
      return Attrs.of().b(GZIP, gz).build();
    }
    if (blobs == null) {
      throw new IllegalStateException(
          "output of "
              + gz.length
              + " gzipped bytes needs a blob store; configure stepwise.blobs.*");
    }
    blobs.put(blobKey, gz, "application/gzip");
    return Attrs.of().s(POINTER, blobKey).build();
  }

  /** The output text, or empty when its blob has gone (then the checkpoint counts as gone too). */
  Optional<String> decode(Map<String, AttributeValue> item) {
    if (item.containsKey(INLINE)) {
      return Optional.of(item.get(INLINE).s());
    }
    if (item.containsKey(GZIP)) {
      return Optional.of(gunzip(item.get(GZIP).b().asByteArray()));
    }
    if (item.containsKey(POINTER) && blobs != null) {
      return blobs.get(item.get(POINTER).s()).map(OutputCodec::gunzip);
    }
    return Optional.empty();
  }

  private static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String gunzip(byte[] gz) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt gzipped output", e);
    }
  }
}
