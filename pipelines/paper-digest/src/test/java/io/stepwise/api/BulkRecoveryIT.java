package io.stepwise.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.lifecycle.ExecutionError;
import io.stepwise.lifecycle.TaskLifecycle;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.steps.errors.RateLimitedException;
import io.stepwise.steps.errors.StepException;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.testing.ApiClient;
import io.stepwise.testing.ApiClient.Response;
import io.stepwise.testing.DigestServicesBase;
import io.stepwise.testing.StepDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /api/tasks/retry}, bulk recovery, through the real Lambda handler, DynamoDB Local and
 * the Step Functions protocol server: the filter picks exactly the tasks it names, a dry run
 * changes nothing, each match goes through the single-task retry path, and a caller recovers only
 * their own tasks.
 */
@MicronautTest(environments = {"test", "scripted"})
class BulkRecoveryIT extends DigestServicesBase {

  private static final int MAX = 6;

  ApiClient api;
  StepDriver driver;
  TaskLifecycle lifecycle;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = new HashMap<>(super.getProperties());
    p.put("stepwise.batches.max-tasks", Integer.toString(MAX));
    return p;
  }

  @BeforeAll
  void clients() {
    api = new ApiClient(context);
    driver = new StepDriver(context);
    lifecycle = context.getBean(TaskLifecycle.class);
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.values().forEach(v -> values.add(v.getStringValue()));
    return values;
  }

  private long starts() {
    return sfn.calls("StartExecution").size();
  }

  private List<String> batch(int n, Map<String, String> claims) {
    Response r =
        claims == null
            ? api.post("/api/batches", "{\"count\":" + n + "}")
            : api.postAs("/api/batches", "{\"count\":" + n + "}", claims);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return strings(r.json().get("taskIds"));
  }

  /**
   * Fails the task's first run at {@code step}, earlier checkpoints stored: with a 429 (its retries
   * spent, as the execution would fail) when {@code errorType} is RateLimitedException, else
   * terminally.
   */
  private void failAt(String taskId, String step, String errorType) {
    steps.on(
        step,
        c -> {
          throw errorType.equals("RateLimitedException")
              ? new RateLimitedException("429 at " + step, Duration.ofSeconds(1))
              : new TerminalStepException("boom at " + step);
        });
    try {
      driver.runFrom(taskId, "r0", PaperDigest.FETCH_PAPERS);
    } catch (StepException expected) {
      lifecycle.recordFailure(
          taskId,
          "r0",
          0,
          new ExecutionError(expected.getClass().getName(), expected.getMessage()));
    }
    steps.reset();
    assertThat(api.get("/api/tasks/" + taskId).json().get("error").get("type").getStringValue())
        .isEqualTo(errorType);
  }

  private Response recover(String body) {
    return api.post("/api/tasks/retry", body);
  }

  @Test
  void aFilterPicksExactlyItsTasks_aDryRunChangesNothing_andTheRealRunRetriesEachFromItsFailedStep()
      throws Exception {
    Instant since = Instant.now();
    List<String> ids = batch(4, null);
    failAt(ids.get(0), PaperDigest.ANALYZE, "RateLimitedException");
    failAt(ids.get(1), PaperDigest.ANALYZE, "RateLimitedException");
    failAt(ids.get(2), PaperDigest.ANALYZE, "TerminalStepException");
    failAt(ids.get(3), PaperDigest.RENDER_IMAGES, "RateLimitedException");
    String filter =
        "{\"failedStep\":\"analyze\",\"errorType\":\"RateLimitedException\",\"since\":\""
            + since
            + "\"}";
    long before = starts();

    Response preview = recover("{\"filter\":" + filter + ",\"dryRun\":true}");
    assertThat(preview.status()).as(preview.body()).isEqualTo(200);
    assertThat(strings(preview.json().get("matched")))
        .containsExactlyInAnyOrder(ids.get(0), ids.get(1));
    assertThat(strings(preview.json().get("retried"))).isEmpty();
    assertThat(starts()).as("a dry run starts nothing").isEqualTo(before);
    assertThat(api.get("/api/tasks/" + ids.get(0)).text("status")).isEqualTo("failed");

    Response done = recover("{\"filter\":" + filter + "}");
    assertThat(done.status()).as(done.body()).isEqualTo(200);
    assertThat(strings(done.json().get("retried")))
        .containsExactlyInAnyOrder(ids.get(0), ids.get(1));
    assertThat(done.json().get("skipped").size()).isZero();
    assertThat(starts()).isEqualTo(before + 2);
    for (String id : ids.subList(0, 2)) {
      Response task = api.get("/api/tasks/" + id);
      assertThat(task.text("status")).isEqualTo("running");
      assertThat(task.json().get("runs").get(1).get("startAt").getStringValue())
          .isEqualTo("analyze");
    }
    assertThat(api.get("/api/tasks/" + ids.get(2)).text("status")).isEqualTo("failed");
    assertThat(api.get("/api/tasks/" + ids.get(3)).text("status")).isEqualTo("failed");

    // the same request again: the retried tasks are running now, so nothing matches
    assertThat(strings(recover("{\"filter\":" + filter + "}").json().get("matched"))).isEmpty();
  }

  @Test
  void theTimeWindow_isSinceInclusiveUntilExclusive_andABatchIdNarrowsIt() throws Exception {
    Instant since = Instant.now();
    List<String> first = batch(2, null);
    first.forEach(id -> failAt(id, PaperDigest.PUBLISH, "TerminalStepException"));
    Thread.sleep(20);
    Instant between = Instant.now();
    Thread.sleep(20);
    List<String> second = batch(2, null);
    second.forEach(id -> failAt(id, PaperDigest.PUBLISH, "TerminalStepException"));

    Response early =
        recover(
            "{\"filter\":{\"failedStep\":\"publish\",\"since\":\""
                + since
                + "\",\"until\":\""
                + between
                + "\"},\"dryRun\":true}");
    assertThat(strings(early.json().get("matched"))).containsExactlyInAnyOrderElementsOf(first);
    Response late =
        recover(
            "{\"filter\":{\"failedStep\":\"publish\",\"since\":\""
                + between
                + "\"},\"dryRun\":true}");
    assertThat(strings(late.json().get("matched"))).containsExactlyInAnyOrderElementsOf(second);

    String batchId = api.get("/api/tasks/" + second.get(0)).text("batchId");
    Response inBatch =
        recover(
            "{\"filter\":{\"batchId\":\""
                + batchId
                + "\",\"since\":\""
                + since
                + "\"},\"dryRun\":true}");
    assertThat(strings(inBatch.json().get("matched"))).containsExactlyInAnyOrderElementsOf(second);
  }

  @Test
  void aCallerRecoversOnlyTheirOwnTasks_anOperatorEveryones() {
    Instant since = Instant.now();
    Map<String, String> alice = Map.of("sub", "alice");
    Map<String, String> bob = Map.of("sub", "bob");
    List<String> alices = batch(1, alice);
    failAt(alices.get(0), PaperDigest.BUILD_PAYLOAD, "TerminalStepException");
    String body = "{\"filter\":{\"failedStep\":\"build_payload\",\"since\":\"" + since + "\"}}";
    long before = starts();

    Response bobs = api.postAs("/api/tasks/retry", body, bob);
    assertThat(bobs.status()).isEqualTo(200);
    assertThat(strings(bobs.json().get("matched"))).isEmpty();
    assertThat(starts()).isEqualTo(before);

    Response ops =
        api.postAs(
            "/api/tasks/retry",
            body.replace("}}", "},\"dryRun\":true}"),
            Map.of("sub", "ops", "cognito:groups", "[stepwise-operators]"));
    assertThat(strings(ops.json().get("matched"))).containsExactly(alices.get(0));
    Response hers = api.postAs("/api/tasks/retry", body, alice);
    assertThat(strings(hers.json().get("retried"))).containsExactly(alices.get(0));
  }

  @Test
  void moreMatchesThanOneRequestMayRetry_is422_andRetriesNothing() {
    Instant since = Instant.now();
    List<String> ids = new ArrayList<>(batch(MAX, null));
    ids.addAll(batch(1, null));
    ids.forEach(id -> failAt(id, PaperDigest.FETCH_PAPERS, "TerminalStepException"));
    long before = starts();

    Response r = recover("{\"filter\":{\"since\":\"" + since + "\"}}");
    assertThat(r.status()).as(r.body()).isEqualTo(422);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.text("detail"))
        .contains("more than " + MAX + " tasks match")
        .contains("narrow the filter");
    assertThat(starts()).isEqualTo(before);
    assertThat(api.get("/api/tasks/" + ids.get(0)).text("status")).isEqualTo("failed");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[] | must be a JSON object",
        "{\"filters\":{}} | unknown field 'filters'",
        "{\"filter\":[]} | 'filter' must be an object",
        "{\"filter\":{\"state\":\"failed\"}} | unknown field 'filter.state'",
        "{\"filter\":{\"status\":\"running\"}} | must be failed or cancelled",
        "{\"filter\":{\"status\":3}} | 'filter.status' must be a string",
        "{\"filter\":{\"pipeline\":\"nope\"}} | unknown pipeline 'nope'",
        "{\"filter\":{\"failedStep\":\"analyse\"}} | unknown step 'analyse'",
        "{\"filter\":{\"since\":\"yesterday\"}} | 'filter.since' must be a UTC time",
        "{\"filter\":{\"since\":\"2026-12-02T00:00:00Z\",\"until\":\"2026-12-01T00:00:00Z\"}} | must be before",
        "{\"filter\":{\"batchId\":\"\"}} | not a batch id",
        "{\"dryRun\":\"yes\"} | 'dryRun' must be true or false",
        "{\"dryRun\":true,\"dryRun\":false} | the key 'dryRun' twice"
      })
  void badInput_is400NamingTheProblem_andRetriesNothing(String bodyAndDetail) {
    String[] parts = bodyAndDetail.split(" \\| ");
    long before = starts();
    Response r = recover(parts[0]);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.text("detail")).contains(parts[1]);
    assertThat(starts()).isEqualTo(before);
  }
}
