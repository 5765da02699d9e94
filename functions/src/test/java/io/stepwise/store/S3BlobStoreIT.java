package io.stepwise.store;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 blob store against Adobe S3Mock, a real S3-API server, run as its own process. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3BlobStoreIT {

  private static final String BUCKET = "stepwise-blobs";

  private Process s3mock;
  private S3Client s3;
  private S3BlobStore store;

  @BeforeAll
  void startS3Mock() throws Exception {
    Path jar = Path.of(System.getProperty("s3mock.jar", "target/s3mock/s3mock-exec.jar"));
    assertThat(jar).as("S3Mock executable jar (copied by the build)").exists();
    int http = freePort();
    Path root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "s3mock");
    s3mock = new ProcessBuilder(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar.toString(),
            "--com.adobe.testing.s3mock.http-port=" + http, "--server.port=" + freePort(),
            "--com.adobe.testing.s3mock.store.initial-buckets=" + BUCKET,
            "--com.adobe.testing.s3mock.store.root=" + root, "--spring.main.banner-mode=off"))
        .redirectErrorStream(true)
        .redirectOutput(Path.of("target", "s3mock.log").toFile())
        .start();
    URI endpoint = URI.create("http://127.0.0.1:" + http);
    awaitUp(endpoint);
    s3 = S3Client.builder()
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
    store = new S3BlobStore(s3, BUCKET);
  }

  @AfterAll
  void stop() throws InterruptedException {
    if (s3 != null) {
      s3.close();
    }
    if (s3mock != null) {
      s3mock.destroy();
      s3mock.waitFor();
    }
  }

  @Test
  void put_thenGet_returnsTheSameBytes_withItsContentType() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 1, 2, 3};
    String uri = store.put("images/task-1/r0/2411.10001.png", png, "image/png");

    assertThat(uri).isEqualTo("s3://" + BUCKET + "/images/task-1/r0/2411.10001.png");
    assertThat(store.get("images/task-1/r0/2411.10001.png")).hasValue(png);
    assertThat(s3.headObject(b -> b.bucket(BUCKET).key("images/task-1/r0/2411.10001.png")).contentType()).isEqualTo("image/png");
  }

  @Test
  void put_replacesWhatWasThere() {
    store.put("checkpoints/t/r0/analyze.json.gz", new byte[] {1}, "application/gzip");
    store.put("checkpoints/t/r0/analyze.json.gz", new byte[] {2, 2}, "application/gzip");
    assertThat(store.get("checkpoints/t/r0/analyze.json.gz")).hasValue(new byte[] {2, 2});
  }

  @Test
  void get_missingKey_isEmpty() {
    assertThat(store.get("no/such/key")).isEmpty();
  }

  private static void awaitUp(URI endpoint) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (Instant.now().isBefore(deadline)) {
      try {
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(endpoint).GET().build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("S3Mock did not start within 90 s; see target/s3mock.log");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
