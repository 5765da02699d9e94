package io.stepwise.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepwise.testing.S3MockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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

  private S3MockServer s3mock;
  private S3Client s3;
  private S3BlobStore store;

  @BeforeAll
  void startS3Mock() {
    s3mock = S3MockServer.start(BUCKET);
    s3 =
        S3Client.builder()
            .endpointOverride(s3mock.endpoint())
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    store = new S3BlobStore(s3, BUCKET);
  }

  @AfterAll
  void stop() {
    if (s3 != null) {
      s3.close();
    }
    if (s3mock != null) {
      s3mock.close();
    }
  }

  @Test
  void put_thenGet_returnsTheSameBytes_withItsContentType() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 1, 2, 3};
    String uri = store.put("images/task-1/r0/2411.10001.png", png, "image/png");

    assertThat(uri).isEqualTo("s3://" + BUCKET + "/images/task-1/r0/2411.10001.png");
    assertThat(store.get("images/task-1/r0/2411.10001.png")).hasValue(png);
    assertThat(
            s3.headObject(b -> b.bucket(BUCKET).key("images/task-1/r0/2411.10001.png"))
                .contentType())
        .isEqualTo("image/png");
  }

  @Test
  void put_replacesWhatWasThere() {
    store.put("checkpoints/t/r0/analyze.json.gz", new byte[] {1}, "application/gzip");
    store.put("checkpoints/t/r0/analyze.json.gz", new byte[] {2, 2}, "application/gzip");
    assertThat(store.get("checkpoints/t/r0/analyze.json.gz")).hasValue(new byte[] {2, 2});
  }

  @Test
  void presignedGet_isALinkThatServesTheObjectWithoutCredentials_andSaysHowLong() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 4, 5, 6};
    store.put("images/task-2/r0/2411.10002.png", png, "image/png");

    URI link =
        store.presignedGet("images/task-2/r0/2411.10002.png", Duration.ofMinutes(5)).orElseThrow();

    assertThat(link.getQuery()).contains("X-Amz-Expires=300", "X-Amz-Signature=");
    var response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(link).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(png);
  }

  @Test
  void get_missingKey_isEmpty() {
    assertThat(store.get("no/such/key")).isEmpty();
  }
}
