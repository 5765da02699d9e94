package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A person in the loop, end to end through the local runtime (the emulator's task tokens, the
 * review function, the API): a digest task with {@code "review": true} stops at {@code
 * awaiting_review}; an edited title is what the MCP server receives after approval; a rejected task
 * publishes nothing; two reviewers deciding at once, and a cancel racing an approval, are counted
 * over many trials.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReviewIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private LocalRuntime runtime;

  @BeforeAll
  void start() {
    runtime = LocalRuntime.start(Options.ephemeral(0.001));
  }

  @AfterAll
  void stop() {
    runtime.close();
  }

  private JsonNode send(String method, String path, String body) throws Exception {
    return LocalApi.send(runtime.api(), method, path, body);
  }

  private JsonNode refused(String method, String path, String body) throws Exception {
    return LocalApi.refused(runtime.api(), method, path, body);
  }

  private String reviewedTask() throws Exception {
    String id =
        send("POST", "/api/tasks", "{\"maxPapers\":1,\"review\":true}").path("taskId").asText();
    LocalApi.awaitStatus(runtime.api(), id, "awaiting_review");
    return id;
  }

  private int published() {
    return runtime.mcp().calls().size();
  }

  @Test
  void aReviewedTask_waits_anEditedTitleIsWhatIsPublished_afterApproval() throws Exception {
    int before = published();
    String id = reviewedTask();
    JsonNode waiting = send("GET", "/api/tasks/" + id, null);
    assertThat(waiting.path("review").path("step").asText()).isEqualTo("build_payload");
    assertThat(waiting.path("review").path("since").asText()).isNotEmpty();
    assertThat(waiting.path("review").path("expiresAt").asText()).isNotEmpty();
    assertThat(waiting.path("review").has("token")).as("the task token is never shown").isFalse();
    assertThat(waiting.path("steps").get(4).path("name").asText()).isEqualTo("review");
    assertThat(waiting.path("steps").get(4).path("status").asText()).isEqualTo("running");
    assertThat(waiting.path("steps").get(5).path("status").asText()).isEqualTo("pending");
    assertThat(published()).as("nothing goes out before a decision").isEqualTo(before);

    JsonNode queue = send("GET", "/api/reviews", null);
    assertThat(queue.path("items").findValuesAsText("taskId")).contains(id);

    JsonNode output =
        send("GET", "/api/tasks/" + id + "/checkpoint", null)
            .path("steps")
            .path("build_payload")
            .path("output");
    ObjectNode edited = output.deepCopy();
    ((ObjectNode) edited.path("posts").get(0)).put("title", "A better title");
    JsonNode stored =
        send(
            "PUT",
            "/api/tasks/" + id + "/steps/build_payload/output",
            JSON.writeValueAsString(edited));
    assertThat(stored.path("output").path("posts").get(0).path("title").asText())
        .isEqualTo("A better title");
    assertThat(stored.path("edits")).hasSize(1);

    send("POST", "/api/tasks/" + id + "/review", "{\"decision\":\"approve\",\"comment\":\"ok\"}");
    JsonNode done = LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    assertThat(published() - before).isEqualTo(1);
    assertThat(runtime.mcp().calls().get(runtime.mcp().calls().size() - 1).arguments().toString())
        .contains("A better title");
    assertThat(done.path("review").path("decision").asText()).isEqualTo("approve");
    assertThat(done.path("review").path("comment").asText()).isEqualTo("ok");

    // the output build_payload wrote stays readable under its run
    JsonNode original = send("GET", "/api/tasks/" + id + "/checkpoint?run=r0", null);
    assertThat(
            original
                .path("steps")
                .path("build_payload")
                .path("output")
                .path("posts")
                .get(0)
                .path("title")
                .asText())
        .isEqualTo(output.path("posts").get(0).path("title").asText());

    assertThat(
            refused("POST", "/api/tasks/" + id + "/review", "{\"decision\":\"approve\"}")
                .path("status")
                .asInt())
        .as("a second decision")
        .isEqualTo(409);
  }

  @Test
  void anEditBreakingRedNotesLimits_is422NamingEveryRule_andStoresNothing() throws Exception {
    String id = reviewedTask();
    JsonNode output =
        send("GET", "/api/tasks/" + id + "/checkpoint", null)
            .path("steps")
            .path("build_payload")
            .path("output");
    ObjectNode bad = output.deepCopy();
    ObjectNode post = (ObjectNode) bad.path("posts").get(0);
    post.put("title", "x".repeat(21));
    post.put("body", "y".repeat(1001));
    post.putArray("images");
    JsonNode problem =
        refused(
            "PUT",
            "/api/tasks/" + id + "/steps/build_payload/output",
            JSON.writeValueAsString(bad));
    assertThat(problem.path("status").asInt()).isEqualTo(422);
    assertThat(problem.path("violations")).hasSize(3);
    assertThat(problem.path("detail").asText())
        .contains("posts[0].title has 21 characters; rednote allows 20")
        .contains("posts[0].body has 1001 characters; rednote allows 1000")
        .contains("posts[0].images has 0; rednote needs 1 to 9");
    JsonNode after =
        send("GET", "/api/tasks/" + id + "/checkpoint", null).path("steps").path("build_payload");
    assertThat(after.path("output")).isEqualTo(output);
    assertThat(after.path("edits").size()).isZero();

    assertThat(
            refused("PUT", "/api/tasks/" + id + "/steps/analyze/output", "{}")
                .path("status")
                .asInt())
        .as("only the step under review, while the task waits")
        .isEqualTo(409);
    assertThat(
            refused("POST", "/api/tasks/" + id + "/review", "{\"decision\":\"maybe\"}")
                .path("status")
                .asInt())
        .isEqualTo(400);
    assertThat(
            refused("POST", "/api/tasks/" + id + "/review", "{\"verdict\":\"approve\"}")
                .path("status")
                .asInt())
        .isEqualTo(400);
    assertThat(
            refused(
                    "POST",
                    "/api/tasks/" + id + "/review",
                    "{\"decision\":\"approve\",\"decision\":\"reject\"}")
                .path("status")
                .asInt())
        .as("duplicate keys")
        .isEqualTo(400);
    assertThat(
            refused("POST", "/api/tasks/nope/review", "{\"decision\":\"approve\"}")
                .path("status")
                .asInt())
        .isEqualTo(404);
    assertThat(send("GET", "/api/tasks/" + id, null).path("status").asText())
        .isEqualTo("awaiting_review");
    send("POST", "/api/tasks/" + id + "/cancel", null);
  }

  @Test
  void aRejectedTask_publishesNothing_andRetryReopensTheReviewWithoutRunningEarlierSteps()
      throws Exception {
    int before = published();
    String id = reviewedTask();
    send(
        "POST",
        "/api/tasks/" + id + "/review",
        "{\"decision\":\"reject\",\"comment\":\"off topic\"}");
    JsonNode rejected = send("GET", "/api/tasks/" + id, null);
    assertThat(rejected.path("status").asText()).isEqualTo("rejected");
    assertThat(rejected.path("error").path("message").asText()).contains("off topic");
    Thread.sleep(300); // the execution ends with the rejection; nothing after it may run
    assertThat(published()).isEqualTo(before);
    assertThat(send("GET", "/api/tasks/" + id, null).path("status").asText())
        .as("the execution's FAILED event does not turn rejected into failed")
        .isEqualTo("rejected");
    assertThat(send("GET", "/api/metrics?window=30m", null).path("rejected").asLong())
        .as("a rejection is counted as one, not as a failure")
        .isPositive();

    send("POST", "/api/tasks/" + id + "/retry", null);
    JsonNode again = LocalApi.awaitStatus(runtime.api(), id, "awaiting_review");
    assertThat(again.path("runs").get(1).path("startAt").asText()).isEqualTo("review");
    assertThat(again.path("steps").get(3).path("executions").asInt())
        .as("build_payload is not run again")
        .isEqualTo(1);
    send("POST", "/api/tasks/" + id + "/review", "{\"decision\":\"approve\"}");
    LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    assertThat(published() - before).isEqualTo(1);
  }

  @Test
  void theReviewField_isABoolean_forAPipelineWithAReview_andARetryFromTheReviewNeedsIt()
      throws Exception {
    assertThat(refused("POST", "/api/tasks", "{\"review\":\"yes\"}").path("detail").asText())
        .isEqualTo("'review' must be true or false");
    assertThat(
            refused("POST", "/api/tasks", "{\"pipeline\":\"echo\",\"review\":true}")
                .path("detail")
                .asText())
        .isEqualTo("'review': pipeline echo has no review step");
    JsonNode pipelines = send("GET", "/api/pipelines", null);
    for (JsonNode p : pipelines) {
      String name = p.path("name").asText();
      if (name.equals("paper-digest")) {
        assertThat(p.path("review").path("after").asText()).isEqualTo("build_payload");
        assertThat(p.path("review").path("byDefault").asBoolean()).isFalse();
        assertThat(p.path("review").path("timeoutSeconds").asInt()).isEqualTo(86_400);
      } else if (name.equals("echo")) {
        assertThat(p.path("review").isNull() || p.path("review").isMissingNode()).isTrue();
      }
    }

    String id = send("POST", "/api/tasks", "{\"maxPapers\":1}").path("taskId").asText();
    JsonNode done = LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    assertThat(done.path("steps").findValuesAsText("name")).doesNotContain("review");
    assertThat(done.has("review") && !done.path("review").isNull()).isFalse();
    JsonNode conflict = refused("POST", "/api/tasks/" + id + "/retry/review", null);
    assertThat(conflict.path("status").asInt()).isEqualTo(409);
    assertThat(conflict.path("detail").asText()).contains("has no review");
    // a rerun may ask for one
    send("POST", "/api/tasks/" + id + "/retry/review", "{\"overrides\":{\"review\":true}}");
    LocalApi.awaitStatus(runtime.api(), id, "awaiting_review");
    send("POST", "/api/tasks/" + id + "/review", "{\"decision\":\"reject\"}");
    assertThat(send("GET", "/api/tasks/" + id, null).path("status").asText()).isEqualTo("rejected");
  }

  @Test
  void aFinishedTasksPosts_editedAndContinued_publishTheEdit() throws Exception {
    String id = send("POST", "/api/tasks", "{\"maxPapers\":1}").path("taskId").asText();
    LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    JsonNode output =
        send("GET", "/api/tasks/" + id + "/checkpoint", null)
            .path("steps")
            .path("build_payload")
            .path("output");
    ObjectNode edited = output.deepCopy();
    ((ObjectNode) edited.path("posts").get(0)).put("title", "Fixed and sent again");
    send(
        "PUT", "/api/tasks/" + id + "/steps/build_payload/output", JSON.writeValueAsString(edited));
    int before = published();
    send("POST", "/api/tasks/" + id + "/retry/publish", null);
    LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    assertThat(published() - before).isEqualTo(1);
    assertThat(runtime.mcp().calls().get(runtime.mcp().calls().size() - 1).arguments().toString())
        .contains("Fixed and sent again");
  }

  /** Two reviewers at once, approve against reject: exactly one decision wins, every trial. */
  @Test
  void twoReviewersDecidingAtOnce_exactlyOneWins() throws Exception {
    int trials = 12;
    int violations = 0;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int t = 0; t < trials; t++) {
        String id = reviewedTask();
        List<Callable<Integer>> both = new ArrayList<>();
        for (String decision : List.of("approve", "reject")) {
          both.add(
              () ->
                  status(
                      "POST",
                      "/api/tasks/" + id + "/review",
                      "{\"decision\":\"" + decision + "\"}"));
        }
        List<Integer> codes = new ArrayList<>();
        for (Future<Integer> f : pool.invokeAll(both)) {
          codes.add(f.get());
        }
        long won = codes.stream().filter(c -> c == 202).count();
        long lost = codes.stream().filter(c -> c == 409).count();
        String end = settled(id);
        boolean consistent =
            (codes.get(0) == 202 && end.equals("succeeded"))
                || (codes.get(1) == 202 && end.equals("rejected"));
        if (won != 1 || lost != 1 || !consistent) {
          violations++;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.printf("double decision: %d trials, %d violations%n", trials, violations);
    assertThat(violations).isZero();
  }

  /**
   * Cancel against approve: when the cancel wins nothing is published; when the approval wins the
   * cancel stops a running task. Counted over many trials.
   */
  @Test
  void cancelRacingAnApproval_nothingPublishesWhenTheCancelWins() throws Exception {
    int trials = 12;
    int violations = 0;
    int cancelsWon = 0;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int t = 0; t < trials; t++) {
        String id = reviewedTask();
        int before = publishedFor(id);
        List<Callable<Integer>> both =
            List.of(
                () -> status("POST", "/api/tasks/" + id + "/review", "{\"decision\":\"approve\"}"),
                () -> status("POST", "/api/tasks/" + id + "/cancel", null));
        List<Integer> codes = new ArrayList<>();
        for (Future<Integer> f : pool.invokeAll(both)) {
          codes.add(f.get());
        }
        String end = settled(id);
        boolean approveWon = codes.get(0) == 202;
        boolean cancelAccepted = codes.get(1) == 202;
        if (!approveWon) {
          cancelsWon++;
          Thread.sleep(200);
          if (!end.equals("cancelled") || publishedFor(id) != before || !cancelAccepted) {
            violations++;
          }
        } else if (!(end.equals("cancelled") || end.equals("succeeded"))) {
          violations++;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.printf(
        "cancel x approve: %d trials (cancel first %d), %d violations%n",
        trials, cancelsWon, violations);
    assertThat(violations).isZero();
  }

  private int publishedFor(String taskId) {
    return (int)
        runtime.mcp().calls().stream()
            .filter(c -> c.arguments().toString().contains(taskId))
            .count();
  }

  /** The task's status once it is no longer running or awaiting review (at most a minute). */
  private String settled(String id) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    String status = send("GET", "/api/tasks/" + id, null).path("status").asText();
    while ((status.equals("running") || status.equals("awaiting_review"))
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
      status = send("GET", "/api/tasks/" + id, null).path("status").asText();
    }
    return status;
  }

  private int status(String method, String path, String body) throws Exception {
    java.net.http.HttpResponse<String> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(runtime.api() + path))
                    .header("Content-Type", "application/json")
                    .method(
                        method,
                        body == null
                            ? java.net.http.HttpRequest.BodyPublishers.noBody()
                            : java.net.http.HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    return r.statusCode();
  }
}
