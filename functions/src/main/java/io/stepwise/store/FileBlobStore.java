package io.stepwise.store;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.stepwise.blobs.BlobStore;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Blob store on a local directory (local runtime and tests). Writes go through a temp file and a
 * rename.
 */
@Singleton
@Requires(property = "stepwise.blobs.dir")
public class FileBlobStore implements BlobStore {

  private final Path root;

  public FileBlobStore(@Value("${stepwise.blobs.dir}") Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public String put(String key, byte[] bytes, String contentType) {
    Path target = resolve(key);
    try {
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), ".blob", ".tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target.toUri().toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write blob " + key, e);
    }
  }

  @Override
  public Optional<byte[]> get(String key) {
    try {
      return Optional.of(Files.readAllBytes(resolve(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read blob " + key, e);
    }
  }

  private Path resolve(String key) {
    Path path = root.resolve(key).normalize();
    if (!path.startsWith(root)) {
      throw new IllegalArgumentException("blob key escapes the store: " + key);
    }
    return path;
  }
}
