package io.stepwise.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Adobe S3Mock, a real S3-API server, run as its own process (the jar is copied by the build) with
 * one bucket.
 */
public final class S3MockServer implements AutoCloseable {

  private final Process process;
  private final URI endpoint;

  private S3MockServer(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  public static S3MockServer start(String bucket) {
    try {
      Path jar = Path.of(System.getProperty("s3mock.jar", "target/s3mock/s3mock-exec.jar"));
      if (!Files.exists(jar)) {
        throw new IllegalStateException(
            "S3Mock executable jar (copied by the build) is missing: " + jar);
      }
      int http = freePort();
      Path root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "s3mock");
      Process process =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "-Xmx256m",
                      "-XX:TieredStopAtLevel=1",
                      "-jar",
                      jar.toString(),
                      "--com.adobe.testing.s3mock.http-port=" + http,
                      "--server.port=" + freePort(),
                      "--com.adobe.testing.s3mock.store.initial-buckets=" + bucket,
                      "--com.adobe.testing.s3mock.store.root=" + root,
                      "--spring.main.banner-mode=off"))
              .redirectErrorStream(true)
              .redirectOutput(Path.of("target", "s3mock-" + http + ".log").toFile())
              .start();
      S3MockServer server = new S3MockServer(process, URI.create("http://127.0.0.1:" + http));
      server.awaitUp();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start S3Mock", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while S3Mock starts", e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  private void awaitUp() throws IOException, InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (Instant.now().isBefore(deadline)) {
      try {
        HttpResponse<Void> r =
            client.send(
                HttpRequest.newBuilder(endpoint).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    close();
    throw new IllegalStateException("S3Mock did not start within 90 s; see target/s3mock-*.log");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
