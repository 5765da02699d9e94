package io.stepwise.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.lifecycle.ExecutionError;
import io.stepwise.lifecycle.ExecutionOutcome;
import io.stepwise.lifecycle.TaskLifecycle;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.testing.ApiClient;
import io.stepwise.testing.ApiClient.Response;
import io.stepwise.testing.DigestServicesBase;
import io.stepwise.testing.StepDriver;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/tasks/{id}/result} and {@code /images/{name}} through the real API Lambda
 * handler, with the five real steps run against the local protocol servers and the images in the
 * local blob store.
 */
@MicronautTest(environments = "test")
class TaskResultApiIT extends DigestServicesBase {

  ApiClient api;
  StepDriver driver;
  TaskLifecycle lifecycle;

  @BeforeAll
  void clients() {
    api = new ApiClient(context);
    driver = new StepDriver(context);
    lifecycle = context.getBean(TaskLifecycle.class);
  }

  /**
   * A digest of two papers, run through every step and marked succeeded as the execution event
   * would.
   */
  String succeededTask(Map<String, String> claims) {
    Response created =
        claims == null
            ? api.post("/api/tasks", "{\"maxPapers\":2,\"language\":\"en\"}")
            : api.postAs("/api/tasks", "{\"maxPapers\":2,\"language\":\"en\"}", claims);
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    String id = created.text("taskId");
    driver.runFrom(id, "r0", PaperDigest.FETCH_PAPERS);
    assertThat(
            lifecycle.onExecutionStatus(
                id, "r0", ExecutionOutcome.SUCCEEDED, 0, ExecutionError.NONE))
        .isTrue();
    return id;
  }

  @Test
  void result_ofASucceededDigest_isItsPostsWithModelSourceAndImageUrlsRelativeToTheApi() {
    String id = succeededTask(null);

    Response r = api.get("/api/tasks/" + id + "/result");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.header("Cache-Control")).isEqualTo("no-store");
    JsonNode posts = r.json().get("posts");
    assertThat(posts.size()).isEqualTo(2);
    JsonNode checkpoints = api.get("/api/tasks/" + id + "/checkpoint").json().get("steps");
    JsonNode payloads = checkpoints.get("build_payload").get("output").get("posts");
    JsonNode analysed = checkpoints.get("analyze").get("output").get("posts");
    for (int i = 0; i < 2; i++) {
      JsonNode post = posts.get(i);
      assertThat(post.get("title").getStringValue())
          .isEqualTo(payloads.get(i).get("title").getStringValue())
          .isNotBlank();
      assertThat(post.get("body").getStringValue())
          .isEqualTo(payloads.get(i).get("body").getStringValue())
          .contains("Paper: ");
      assertThat(strings(post.get("tags")))
          .isEqualTo(strings(payloads.get(i).get("tags")))
          .isNotEmpty();
      assertThat(post.get("model").getStringValue())
          .isEqualTo(analysed.get(i).get("model").getStringValue())
          .isNotBlank();
      assertThat(post.get("modelReason").getStringValue())
          .isEqualTo(analysed.get(i).get("modelReason").getStringValue());
      assertThat(post.get("sourceUrl").getStringValue())
          .isEqualTo(analysed.get(i).get("sourceUrl").getStringValue())
          .startsWith("http");
      String paperId = analysed.get(i).get("paperId").getStringValue();
      assertThat(strings(post.get("images")))
          .containsExactly("/api/tasks/" + id + "/images/" + paperId + ".png");
    }
  }

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

    Response image = api.get(url);

    assertThat(image.status()).as(image.body()).isEqualTo(200);
    assertThat(image.contentType()).isEqualTo("image/png");
    assertThat(image.header("Cache-Control")).startsWith("private");
    assertThat(image.header("X-Content-Type-Options")).isEqualTo("nosniff");
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(image.bytes()));
    assertThat(png.getWidth()).isEqualTo(1080);
    assertThat(png.getHeight()).isEqualTo(1440);
  }

  @Test
  void result_whileNotSucceeded_is409SayingSo() {
    Response created = api.post("/api/tasks", "{}");
    String id = created.text("taskId");

    Response r = api.get("/api/tasks/" + id + "/result");

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.text("detail"))
        .isEqualTo("task " + id + " is running; its result exists once it has succeeded");
  }

  @Test
  void unknownTask_is404_forResultAndImage() {
    assertThat(api.get("/api/tasks/no-such-task/result").status()).isEqualTo(404);
    assertThat(api.get("/api/tasks/no-such-task/images/2411.10001.png").status()).isEqualTo(404);
  }

  @Test
  void imageNames_thatNoCheckpointGives_are404_traversalIncluded() {
    String id = succeededTask(null);
    List<String> names =
        List.of(
            "9999.99999.png",
            "..%2F..%2Fetc%2Fpasswd",
            "%2E%2E",
            "..",
            ".png",
            "x%00.png",
            "images%2F" + id + "%2Fr0%2F2411.10001.png",
            "2411.10001.PNG",
            "a".repeat(300));
    for (String name : names) {
      Response r = api.get("/api/tasks/" + id + "/images/" + name);
      assertThat(r.status()).as(name + ": " + r.body()).isEqualTo(404);
      assertThat(r.contentType()).as(name).startsWith("application/problem+json");
    }
  }

  @Test
  void anotherUser_gets404_forResultAndImage_likeAnUnknownId() {
    long n = System.nanoTime();
    Map<String, String> alice = Map.of("sub", "alice-" + n);
    Map<String, String> bob = Map.of("sub", "bob-" + n);
    String id = succeededTask(alice);
    String url =
        api.getAs("/api/tasks/" + id + "/result", alice)
            .json()
            .get("posts")
            .get(0)
            .get("images")
            .get(0)
            .getStringValue();
    assertThat(api.getAs(url, alice).status()).isEqualTo(servedStatus());

    Response result = api.getAs("/api/tasks/" + id + "/result", bob);
    Response image = api.getAs(url, bob);
    Response unknown = api.getAs("/api/tasks/no-such-task/result", bob);

    assertThat(result.status()).isEqualTo(404);
    assertThat(image.status()).isEqualTo(404);
    assertThat(result.text("detail")).isEqualTo(unknown.text("detail").replace("no-such-task", id));
    assertThat(image.text("detail")).isEqualTo(result.text("detail"));
  }

  /** How this blob store serves an image its owner may see: the bytes here, a redirect with S3. */
  int servedStatus() {
    return 200;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.values().forEach(v -> out.add(v.getStringValue()));
    return out;
  }
}
