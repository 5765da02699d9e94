package io.stepwise.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.testing.ApiClient.Response;
import io.stepwise.testing.S3MockServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The images endpoint in AWS mode: the blob store is an S3 bucket (S3Mock, a real S3-API server),
 * cards are rendered into it by the real step, and the API answers with a 302 to a presigned link
 * valid 5 minutes, which serves the PNG to a client holding no credentials.
 */
@MicronautTest(environments = "test")
class S3TaskImagesIT extends TaskResultApiIT {

  private static final String BUCKET = "stepwise-blobs-it";
  private final S3MockServer s3 = S3MockServer.start(BUCKET);

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = super.getProperties();
    p.remove("stepwise.blobs.dir");
    p.put("stepwise.blobs.bucket", BUCKET);
    p.put("aws.services.s3.endpoint-override", s3.endpoint().toString());
    p.put("aws.services.s3.path-style-access-enabled", "true");
    return p;
  }

  @AfterAll
  void stopS3() {
    s3.close();
  }

  @Override
  int servedStatus() {
    return 302;
  }

  @Override
  @Test
  void image_fromAResult_isTheRenderedPng_cachedPrivately() throws Exception {
    String id = succeededTask(null);
    String url =
        api.get("/api/tasks/" + id + "/result")
            .json()
            .get("posts")
            .get(0)
            .get("images")
            .get(0)
            .getStringValue();

    Response redirect = api.get(url);

    assertThat(redirect.status()).as(redirect.body()).isEqualTo(302);
    assertThat(redirect.header("Cache-Control")).startsWith("private");
    URI link = URI.create(redirect.header("Location"));
    assertThat(link.toString()).startsWith(s3.endpoint() + "/" + BUCKET + "/images/" + id + "/r0/");
    assertThat(link.getQuery()).contains("X-Amz-Expires=300", "X-Amz-Signature=");
    HttpResponse<byte[]> png =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(link).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(png.statusCode()).isEqualTo(200);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
    assertThat(image.getWidth()).isEqualTo(1080);
  }
}
