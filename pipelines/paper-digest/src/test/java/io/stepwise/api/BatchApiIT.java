package io.stepwise.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.batches.Batch;
import io.stepwise.batches.BatchRepository;
import io.stepwise.kit.papers.PaperQuery;
import io.stepwise.lifecycle.ExecutionError;
import io.stepwise.lifecycle.TaskLifecycle;
import io.stepwise.model.Times;
import io.stepwise.pipelines.digest.DigestInput;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.tasks.TaskService;
import io.stepwise.testing.ApiClient;
import io.stepwise.testing.ApiClient.Response;
import io.stepwise.testing.DigestServicesBase;
import io.stepwise.testing.LocalDynamo;
import io.stepwise.testing.StepDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code /api/batches} through the real Lambda handler, DynamoDB Local and the Step Functions
 * protocol server.
 */
@MicronautTest(environments = {"test", "scripted"})
class BatchApiIT extends DigestServicesBase {

  private static final int MAX = 25;

  ApiClient api;
  StepDriver driver;
  TaskLifecycle lifecycle;

  private static final int START_ATTEMPTS = 13;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = new HashMap<>(super.getProperties());
    p.put("stepwise.batches.max-tasks", Integer.toString(MAX));
    p.put("stepwise.batches.start-concurrency", "4");
    // these tests are about creating and starting batches, not run limits (BatchSteeringIT):
    // every task of a batch may run at once
    p.put("stepwise.batches.max-running-per-batch", Integer.toString(MAX));
    p.put("stepwise.batches.max-running", "500");
    // more tries than the throttled answers a test queues (12): only a task throttled past its
    // budget on purpose goes unstarted, however the starts interleave
    p.put("stepwise.starts.attempts", Integer.toString(START_ATTEMPTS));
    p.put("stepwise.starts.base-delay", "5ms");
    p.put("stepwise.starts.max-delay", "40ms");
    return p;
  }

  @BeforeAll
  void clients() {
    api = new ApiClient(context);
    driver = new StepDriver(context);
    lifecycle = context.getBean(TaskLifecycle.class);
  }

  @BeforeEach
  void noQueuedFailures() {
    sfn.clearFailures();
  }

  private Response created(String body) {
    Response r = api.post("/api/batches", body);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.values().forEach(v -> values.add(v.getStringValue()));
    return values;
  }

  private long startsOf(String taskId) {
    return sfn.calls("StartExecution").stream()
        .filter(c -> c.body().get("name").asText().startsWith(taskId + "--"))
        .count();
  }

  private void assertProblem(Response r, int status, String detailPart) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.text("detail")).contains(detailPart);
  }

  /**
   * Fails the task's first run terminally at {@code step}, with the earlier steps' checkpoints
   * stored.
   */
  private void failAt(String taskId, String step) {
    steps.on(
        step,
        c -> {
          throw new TerminalStepException("boom at " + step);
        });
    try {
      driver.runFrom(taskId, "r0", PaperDigest.FETCH_PAPERS);
    } catch (TerminalStepException expected) {
      lifecycle.recordFailure(
          taskId, "r0", 0, new ExecutionError("TerminalStepException", expected.getMessage()));
    }
    steps.reset();
  }

  // ---- create
  // ----------------------------------------------------------------------------------------------

  @Test
  void create_withTaskBodies_startsEveryTaskInOrderWithItsOwnInput() {
    Response r =
        created(
            "{\"tasks\":[{\"note\":\"first\",\"maxPapers\":1},{\"note\":\"second\",\"language\":\"en\"}]}");

    List<String> ids = strings(r.json().get("taskIds"));
    assertThat(ids).hasSize(2).doesNotHaveDuplicates();
    assertThat(r.json().get("notStarted").size()).isZero();
    Response first = api.get("/api/tasks/" + ids.get(0));
    Response second = api.get("/api/tasks/" + ids.get(1));
    assertThat(first.text("status")).isEqualTo("running");
    assertThat(first.text("batchId")).isEqualTo(r.text("batchId"));
    assertThat(first.json().get("input").get("note").getStringValue()).isEqualTo("first");
    assertThat(second.json().get("input").get("language").getStringValue()).isEqualTo("en");
    assertThat(startsOf(ids.get(0))).isEqualTo(1);
    assertThat(startsOf(ids.get(1))).isEqualTo(1);
  }

  @Test
  void create_withCount_startsThatManyTasksWithTheDefaultsOrTheTemplate() {
    Response plain = created("{\"count\":3}");
    Response templated = created("{\"count\":2,\"task\":{\"note\":\"nightly\"}}");

    assertThat(strings(plain.json().get("taskIds"))).hasSize(3).doesNotHaveDuplicates();
    for (String id : strings(templated.json().get("taskIds"))) {
      Response task = api.get("/api/tasks/" + id);
      assertThat(task.json().get("input").get("note").getStringValue()).isEqualTo("nightly");
      assertThat(task.text("status")).isEqualTo("running");
    }
    Response batch = api.get("/api/batches/" + plain.text("batchId"));
    assertThat(batch.json().get("total").getIntValue()).isEqualTo(3);
    assertThat(batch.json().get("stats").get("running").getLongValue()).isEqualTo(3);
    assertThat(strings(batch.json().get("taskIds")))
        .containsExactlyInAnyOrderElementsOf(strings(plain.json().get("taskIds")));
  }

  @Test
  void create_overTheConfiguredMaximum_is413AndStartsNothing() {
    int before = sfn.calls("StartExecution").size();
    assertProblem(
        api.post("/api/batches", "{\"count\":" + (MAX + 1) + "}"),
        413,
        "at most " + MAX + " tasks");
    String many = "{\"tasks\":[" + String.join(",", Collections.nCopies(MAX + 1, "{}")) + "]}";
    assertProblem(api.post("/api/batches", many), 413, "at most " + MAX + " tasks");
    assertProblem(
        api.post(
            "/api/batches",
            "{\"count\":1,\"task\":{\"note\":\"" + "a".repeat(3 * 1024 * 1024) + "\"}}"),
        413,
        "larger than");
    assertThat(sfn.calls("StartExecution")).hasSize(before);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}|exactly one of",
        "{\"count\":2,\"tasks\":[{}]}|exactly one of",
        "{\"count\":0}|count",
        "{\"count\":\"3\"}|count",
        "{\"count\":1.5}|count",
        "{\"tasks\":{}}|non-empty array",
        "{\"tasks\":[]}|non-empty array",
        "{\"tasks\":[{},{\"maxPapers\":99}]}|tasks[1].maxPapers",
        "{\"tasks\":[{\"colour\":1}]}|tasks[0].colour",
        "{\"tasks\":[{}],\"task\":{}}|'task' goes with 'count'",
        "{\"count\":1,\"task\":{\"source\":\"rss\"}}|task.source",
        "{\"count\":2,\"task\":{\"pipeline\":\"nope\"}}|'task.pipeline' must be one of echo, paper-digest",
        "{\"tasks\":[{},{\"pipeline\":\"nope\"}]}|'tasks[1].pipeline' must be one of echo, paper-digest",
        "{\"size\":3}|unknown field 'size'",
        "[{}]|JSON object",
        "{\"count\":|not valid JSON"
      })
  void create_badInput_is400NamingTheProblem_andStartsNothing(String bodyAndDetail) {
    String[] parts = bodyAndDetail.split("\\|");
    int before = sfn.calls("StartExecution").size();
    assertProblem(api.post("/api/batches", parts[0]), 400, parts[1]);
    assertThat(sfn.calls("StartExecution")).hasSize(before);
  }

  @Test
  void create_whileStepFunctionsThrottles_backsOffAndStartsEveryTask() {
    for (int i = 0; i < 12; i++) {
      sfn.failNext("StartExecution", 400, "ThrottlingException", "Rate exceeded");
    }
    int before = sfn.calls("StartExecution").size();

    Response r = created("{\"count\":20}");

    List<String> ids = strings(r.json().get("taskIds"));
    assertThat(ids).hasSize(20).doesNotHaveDuplicates();
    assertThat(r.json().get("notStarted").size()).isZero();
    for (String id : ids) {
      assertThat(startsOf(id)).as("start calls of %s", id).isGreaterThanOrEqualTo(1);
      assertThat(api.get("/api/tasks/" + id).text("status")).isEqualTo("running");
      String arn = STATE_MACHINE_ARN.replace("stateMachine", "execution") + ":" + id + "--r0";
      assertThat(sfn.execution(arn)).as("execution of %s", id).isPresent();
    }
    // every throttled call was tried again: 20 starts plus the 12 refused ones
    assertThat(sfn.calls("StartExecution").size() - before).isEqualTo(32);
  }

  @Test
  void create_whenAStartFailsOnce_theSdkTriesItAgain() {
    sfn.failNext("StartExecution", 500, "ServiceUnavailable", "down for a moment");
    int before = sfn.calls("StartExecution").size();

    Response r = created("{\"count\":1}");

    assertThat(r.json().get("notStarted").size()).isZero();
    assertThat(sfn.calls("StartExecution").size() - before)
        .as("a transient failure is retried at once, not paced like throttling")
        .isEqualTo(2);
  }

  @Test
  void create_startsAtMostTheConfiguredNumberOfExecutionsAtOnce() {
    sfn.latency("StartExecution", 60);
    int maxAtOnce;
    try {
      Response r = created("{\"count\":16}");
      assertThat(r.json().get("notStarted").size()).isZero();
      maxAtOnce = sfn.maxConcurrent("StartExecution");
    } finally {
      sfn.latency("StartExecution", 0);
    }
    // 16 starts of 60 ms each: several overlap, never more than start-concurrency (4)
    assertThat(maxAtOnce).isBetween(2, 4);
  }

  @Test
  void create_throttledPastTheBudget_reportsTheTasks_andRetryFailedStartsThemLater() {
    for (int i = 0; i < 500; i++) {
      sfn.failNext("StartExecution", 400, "ThrottlingException", "Rate exceeded");
    }
    int before = sfn.calls("StartExecution").size();
    Response r = created("{\"count\":2}");
    sfn.clearFailures();

    assertThat(sfn.calls("StartExecution").size() - before)
        .as("stepwise.starts.attempts per task: the SDK does not retry a throttled start again")
        .isEqualTo(2 * START_ATTEMPTS);

    List<String> ids = strings(r.json().get("taskIds"));
    assertThat(r.json().get("notStarted").size()).isEqualTo(2);
    Set<String> reported = new HashSet<>();
    r.json()
        .get("notStarted")
        .values()
        .forEach(
            s -> {
              reported.add(s.get("taskId").getStringValue());
              assertThat(s.get("reason").getStringValue())
                  .contains("not started")
                  .contains("Rate exceeded");
            });
    assertThat(reported).containsExactlyInAnyOrderElementsOf(ids);
    String batchId = r.text("batchId");
    assertThat(api.get("/api/batches/" + batchId).json().get("stats").get("failed").getLongValue())
        .isEqualTo(2);

    Response retried = api.post("/api/batches/" + batchId + "/retry-failed", null);

    assertThat(retried.status()).as(retried.body()).isEqualTo(202);
    assertThat(strings(retried.json().get("retried"))).containsExactlyInAnyOrderElementsOf(ids);
    for (String id : ids) {
      assertThat(api.get("/api/tasks/" + id).text("status")).isEqualTo("running");
      assertThat(
              sfn.execution(
                  STATE_MACHINE_ARN.replace("stateMachine", "execution") + ":" + id + "--r1"))
          .isPresent();
    }
  }

  @Test
  void create_sameIdempotencyKey_returnsTheSameBatch_andStartsNoSecondExecution() {
    Map<String, String> key = Map.of("Idempotency-Key", "batch-" + Instant.now().toEpochMilli());
    Response first = api.post("/api/batches", "{\"count\":3}", key);
    Response again = api.post("/api/batches", "{\"count\":3}", key);

    assertThat(again.status()).isEqualTo(202);
    assertThat(again.text("batchId")).isEqualTo(first.text("batchId"));
    assertThat(strings(again.json().get("taskIds")))
        .isEqualTo(strings(first.json().get("taskIds")));
    for (String id : strings(first.json().get("taskIds"))) {
      assertThat(startsOf(id)).isEqualTo(1);
    }
    assertProblem(api.post("/api/batches", "{\"count\":4}", key), 422, "different body");
  }

  // ---- read
  // ------------------------------------------------------------------------------------------------

  @Test
  void getAndFailed_countEveryStatus_andListOnlyTheFailedTasks() {
    Response r = created("{\"count\":3}");
    List<String> ids = strings(r.json().get("taskIds"));
    failAt(ids.get(0), PaperDigest.ANALYZE);
    failAt(ids.get(1), PaperDigest.PUBLISH);

    Response batch = api.get("/api/batches/" + r.text("batchId"));
    assertThat(batch.status()).isEqualTo(200);
    assertThat(batch.json().get("total").getIntValue()).isEqualTo(3);
    JsonNode stats = batch.json().get("stats");
    assertThat(stats.get("failed").getLongValue()).isEqualTo(2);
    assertThat(stats.get("running").getLongValue()).isEqualTo(1);
    assertThat(stats.get("pending").getLongValue()).isZero();
    assertThat(stats.get("succeeded").getLongValue()).isZero();
    assertThat(stats.get("cancelled").getLongValue()).isZero();

    Response failed = api.get("/api/batches/" + r.text("batchId") + "/failed");
    List<String> failedIds = new ArrayList<>();
    failed
        .json()
        .get("items")
        .values()
        .forEach(
            t -> {
              failedIds.add(t.get("taskId").getStringValue());
              assertThat(t.get("status").getStringValue()).isEqualTo("failed");
              assertThat(t.get("error").get("message").getStringValue()).startsWith("boom at");
            });
    assertThat(failedIds).containsExactlyInAnyOrder(ids.get(0), ids.get(1));
  }

  @Test
  void unknownBatch_is404Everywhere() {
    assertProblem(api.get("/api/batches/nope"), 404, "batch nope");
    assertProblem(api.get("/api/batches/nope/failed"), 404, "batch nope");
    assertProblem(api.post("/api/batches/nope/retry-failed", null), 404, "batch nope");
  }

  // ---- retry-failed
  // ----------------------------------------------------------------------------------------

  @Test
  void retryFailed_retriesEachFromItsFailedStep_andOneRefusalDoesNotStopTheOthers() {
    Response r = created("{\"count\":4}");
    List<String> ids = strings(r.json().get("taskIds"));
    failAt(ids.get(0), PaperDigest.RENDER_IMAGES);
    failAt(ids.get(1), PaperDigest.BUILD_PAYLOAD);
    failAt(ids.get(2), PaperDigest.BUILD_PAYLOAD);
    // task 2's analyze output has expired: retrying it from build_payload must be refused as on its
    // own
    LocalDynamo.client()
        .updateItem(
            b ->
                b.tableName(table)
                    .key(
                        Map.of(
                            "PK",
                            AttributeValue.fromS("TASK#" + ids.get(2)),
                            "SK",
                            AttributeValue.fromS("STEP#1#analyze")))
                    .updateExpression("SET expiresAt = :past")
                    .expressionAttributeValues(
                        Map.of(
                            ":past",
                            AttributeValue.fromN(
                                Long.toString(Instant.now().getEpochSecond() - 1)))));

    Response report = api.post("/api/batches/" + r.text("batchId") + "/retry-failed", null);

    assertThat(report.status()).as(report.body()).isEqualTo(202);
    assertThat(strings(report.json().get("retried")))
        .containsExactlyInAnyOrder(ids.get(0), ids.get(1));
    JsonNode skipped = report.json().get("skipped");
    assertThat(skipped.size()).isEqualTo(1);
    assertThat(skipped.get(0).get("taskId").getStringValue()).isEqualTo(ids.get(2));
    assertThat(skipped.get(0).get("reason").getStringValue()).contains("retry from analyze");

    Response zero = api.get("/api/tasks/" + ids.get(0));
    assertThat(zero.text("status")).isEqualTo("running");
    assertThat(zero.json().get("runs").get(1).get("startAt").getStringValue())
        .isEqualTo("render_images");
    assertThat(
            api.get("/api/tasks/" + ids.get(1))
                .json()
                .get("runs")
                .get(1)
                .get("startAt")
                .getStringValue())
        .isEqualTo("build_payload");
    assertThat(api.get("/api/tasks/" + ids.get(2)).text("status")).isEqualTo("failed");
    assertThat(startsOf(ids.get(3))).as("the running task is left alone").isEqualTo(1);

    Response again = api.post("/api/batches/" + r.text("batchId") + "/retry-failed", null);
    assertThat(strings(again.json().get("retried"))).isEmpty();
    assertThat(startsOf(ids.get(0)))
        .as("a second retry-failed does not retry running tasks")
        .isEqualTo(2);
  }

  @Test
  void retryFailed_startsTasksLeftPendingByARequestThatEndedMidBatch_butNotOnesStillBeingStarted() {
    // What an api invocation that timed out mid-batch leaves behind: the batch and its tasks
    // stored, not started.
    String batchId = "stranded-" + Instant.now().toEpochMilli();
    Instant now = Instant.now();
    context
        .getBean(BatchRepository.class)
        .insert(new Batch(batchId, 2, "hash", null, now, now.plus(Duration.ofDays(1))));
    TaskService tasks = context.getBean(TaskService.class);
    String stranded =
        tasks
            .prepare(
                PaperDigest.NAME,
                tree(
                    new DigestInput(
                        "arxiv",
                        new PaperQuery(List.of("cs.AI"), List.of(), 2),
                        1,
                        "en",
                        new DigestInput.Publish("none"),
                        null)),
                batchId + "#0",
                null,
                batchId)
            .taskId();
    String fresh =
        tasks
            .prepare(
                PaperDigest.NAME,
                tree(
                    new DigestInput(
                        "arxiv",
                        new PaperQuery(List.of("cs.AI"), List.of(), 2),
                        2,
                        "en",
                        new DigestInput.Publish("none"),
                        null)),
                batchId + "#1",
                null,
                batchId)
            .taskId();
    LocalDynamo.client()
        .updateItem(
            b ->
                b.tableName(table)
                    .key(
                        Map.of(
                            "PK",
                            AttributeValue.fromS("TASK#" + stranded),
                            "SK",
                            AttributeValue.fromS("META")))
                    .updateExpression("SET createdAt = :at")
                    .expressionAttributeValues(
                        Map.of(
                            ":at",
                            AttributeValue.fromS(Times.format(now.minus(Duration.ofMinutes(5)))))));

    Response report = api.post("/api/batches/" + batchId + "/retry-failed", null);

    assertThat(report.status()).as(report.body()).isEqualTo(202);
    assertThat(strings(report.json().get("started"))).containsExactly(stranded);
    assertThat(strings(report.json().get("retried"))).isEmpty();
    assertThat(report.json().get("skipped").size()).isZero();
    assertThat(api.get("/api/tasks/" + stranded).text("status")).isEqualTo("running");
    assertThat(startsOf(stranded)).isEqualTo(1);
    assertThat(api.get("/api/tasks/" + fresh).text("status"))
        .as("pending for seconds: its request may still start it")
        .isEqualTo("pending");
    assertThat(startsOf(fresh)).isZero();

    Response again = api.post("/api/batches/" + batchId + "/retry-failed", null);
    assertThat(strings(again.json().get("started"))).isEmpty();
    assertThat(startsOf(stranded)).as("started once").isEqualTo(1);
  }
}
