package io.stepwise.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.lifecycle.ExecutionError;
import io.stepwise.lifecycle.TaskLifecycle;
import io.stepwise.logging.LambdaLogConfigurator;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.testing.ApiClient;
import io.stepwise.testing.ApiClient.Response;
import io.stepwise.testing.DigestServicesBase;
import io.stepwise.testing.LocalDynamo;
import io.stepwise.testing.StepDriver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@MicronautTest(environments = {"test", "scripted"})
class TaskApiIT extends DigestServicesBase {

  ApiClient api;
  StepDriver driver;
  TaskLifecycle lifecycle;

  @BeforeAll
  void clients() {
    api = new ApiClient(context);
    driver = new StepDriver(context);
    lifecycle = context.getBean(TaskLifecycle.class);
  }

  private String created(String body) {
    Response r = api.post("/api/tasks", body);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.text("taskId");
  }

  /**
   * Runs the task's current run until a step fails terminally at {@code failing}, as the Catch path
   * would.
   */
  private String failAt(String failing) {
    String id = created("{}");
    steps.on(
        failing,
        c -> {
          throw new TerminalStepException("boom at " + failing);
        });
    try {
      driver.runFrom(id, "r0", PaperDigest.FETCH_PAPERS);
    } catch (TerminalStepException expected) {
      lifecycle.recordFailure(
          id, "r0", 0, new ExecutionError("TerminalStepException", expected.getMessage()));
    }
    steps.reset();
    return id;
  }

  private void assertProblem(Response r, int status, String detailPart) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.text("status")).isEqualTo(Integer.toString(status));
    assertThat(r.text("title")).isNotBlank();
    assertThat(r.text("detail")).contains(detailPart);
  }

  // ---- create
  // ----------------------------------------------------------------------------------------------

  @Test
  void create_withEmptyBody_appliesDefaultsAndStartsExecution() {
    Response r = api.post("/api/tasks", "{}");

    assertThat(r.status()).isEqualTo(202);
    assertThat(r.text("status")).isEqualTo("running");
    assertThat(r.json().get("input").get("source").getStringValue()).isEqualTo("arxiv");
    assertThat(r.json().get("input").get("maxPapers").getIntValue()).isEqualTo(5);
    assertThat(r.json().get("steps").size()).isEqualTo(5);
    assertThat(r.json().get("runs").get(0).get("executionArn").getStringValue())
        .isEqualTo(
            "arn:aws:states:us-east-1:123456789012:execution:stepwise:"
                + r.text("taskId")
                + "--r0");
    var start =
        sfn.calls("StartExecution").stream()
            .filter(c -> c.body().get("name").asText().equals(r.text("taskId") + "--r0"))
            .toList();
    assertThat(start).hasSize(1);
    assertThat(start.get(0).body().get("input").asText())
        .isEqualTo(
            "{\"taskId\":\""
                + r.text("taskId")
                + "\",\"runId\":\"r0\",\"startAt\":\"fetch_papers\",\"rateLimitWaits\":{},\"review\":false}");
  }

  @Test
  void create_withAllFields_keepsThem() {
    Response r =
        api.post(
            "/api/tasks",
            """
        {"source":"hf_daily","query":{"categories":["cs.CV"],"keywords":["diffusion"],"days":3},
         "maxPapers":2,"language":"en","publish":{"target":"webhook"},"note":"demo <b>run</b>"}""");

    assertThat(r.status()).as(r.body()).isEqualTo(202);
    Response got = api.get("/api/tasks/" + r.text("taskId"));
    assertThat(got.json().get("input").get("query").get("keywords").get(0).getStringValue())
        .isEqualTo("diffusion");
    assertThat(got.json().get("input").get("note").getStringValue()).isEqualTo("demo <b>run</b>");
    assertThat(got.json().get("input").get("publish").get("target").getStringValue())
        .isEqualTo("webhook");
  }

  @Test
  void create_withSameIdempotencyKey_returnsSameTaskAndStartsOneExecution() {
    Map<String, String> key = Map.of("Idempotency-Key", "key-" + Instant.now().toEpochMilli());
    Response first = api.post("/api/tasks", "{\"maxPapers\":3}", key);
    Response second = api.post("/api/tasks", "{\"maxPapers\":3}", key);

    assertThat(first.status()).isEqualTo(202);
    assertThat(second.status()).isEqualTo(202);
    assertThat(second.text("taskId")).isEqualTo(first.text("taskId"));
    assertThat(
            sfn.calls("StartExecution").stream()
                .filter(c -> c.body().get("name").asText().startsWith(first.text("taskId"))))
        .hasSize(1);
  }

  @Test
  void create_sameIdempotencyKeyWithDifferentBody_is422() {
    Map<String, String> key = Map.of("Idempotency-Key", "reuse-" + Instant.now().toEpochMilli());
    api.post("/api/tasks", "{\"maxPapers\":3}", key);
    assertProblem(api.post("/api/tasks", "{\"maxPapers\":4}", key), 422, "different body");
  }

  @Test
  void create_recordsOwnerFromJwtClaims() {
    Response r = api.postAs("/api/tasks", "{}", Map.of("sub", "user-42", "scope", "tasks"));
    assertThat(r.status()).isEqualTo(202);
    var item =
        LocalDynamo.client()
            .getItem(
                b ->
                    b.tableName(table)
                        .key(
                            Map.of(
                                "PK",
                                AttributeValue.fromS("TASK#" + r.text("taskId")),
                                "SK",
                                AttributeValue.fromS("META"))))
            .item();
    assertThat(item.get("ownerId").s()).isEqualTo("user-42");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"maxPapers\": 21}|maxPapers",
        "{\"maxPapers\": \"3\"}|maxPapers",
        "{\"maxPapers\": 2.5}|maxPapers",
        "{\"source\": \"rss\"}|source",
        "{\"language\": 7}|language",
        "{\"query\": []}|query",
        "{\"query\": {\"days\": 0}}|query.days",
        "{\"query\": {\"categories\": \"cs.AI\"}}|query.categories",
        "{\"query\": {\"when\": 1}}|query.when",
        "{\"publish\": {\"target\": \"fax\"}}|publish.target",
        "{\"colour\": \"red\"}|colour",
        "[1,2]|JSON object",
        "{\"maxPapers\": |not valid JSON",
        "not json|not valid JSON"
      })
  void create_badInput_is400NamingTheProblem_andCreatesNothing(String bodyAndDetail) {
    String[] parts = bodyAndDetail.split("\\|");
    int startsBefore = sfn.calls("StartExecution").size();

    assertProblem(api.post("/api/tasks", parts[0]), 400, parts[1]);
    assertThat(sfn.calls("StartExecution")).hasSize(startsBefore);
  }

  @Test
  void create_noteLongerThan500Characters_is400() {
    assertProblem(api.post("/api/tasks", "{\"note\":\"" + "字".repeat(501) + "\"}"), 400, "note");
  }

  @Test
  void create_bodyOver256KB_is413() {
    int startsBefore = sfn.calls("StartExecution").size();
    assertProblem(
        api.post("/api/tasks", "{\"note\":\"" + "a".repeat(300 * 1024) + "\"}"),
        413,
        "larger than");
    assertThat(sfn.calls("StartExecution")).hasSize(startsBefore);
  }

  @Test
  void create_whenStepFunctionsFails_is503AndTaskRecordsWhy() {
    sfn.failNext("StartExecution", 500, "ServiceUnavailable", "down");
    sfn.failNext("StartExecution", 500, "ServiceUnavailable", "down");
    sfn.failNext("StartExecution", 500, "ServiceUnavailable", "down");
    sfn.failNext("StartExecution", 500, "ServiceUnavailable", "down");
    Map<String, String> key = Map.of("Idempotency-Key", "sfn-down-" + Instant.now().toEpochMilli());

    assertProblem(api.post("/api/tasks", "{}", key), 503, "not started");
    sfn.clearFailures(); // however many attempts the SDK made, Step Functions is back
    Response again = api.post("/api/tasks", "{}", key);
    assertThat(again.text("status")).isEqualTo("failed");
    assertThat(again.json().get("error").get("type").getStringValue())
        .isEqualTo("WorkflowUnavailable");
    assertThat(api.post("/api/tasks/" + again.text("taskId") + "/retry", null).status())
        .isEqualTo(202);
  }

  @Test
  void create_whenStepFunctionsFails_theFailedTaskCountsInTheMetricLine() {
    for (int i = 0; i < 4; i++) {
      sfn.failNext("StartExecution", 500, "ServiceUnavailable", "down");
    }
    ch.qos.logback.classic.Logger metrics =
        (ch.qos.logback.classic.Logger)
            LoggerFactory.getLogger(LambdaLogConfigurator.METRICS_LOGGER);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
        new ch.qos.logback.core.read.ListAppender<>();
    lines.start();
    metrics.addAppender(lines);
    try {
      Map<String, String> key =
          Map.of("Idempotency-Key", "sfn-down-emf-" + Instant.now().toEpochMilli());
      assertProblem(api.post("/api/tasks", "{}", key), 503, "not started");
      sfn.clearFailures();
      String taskId = api.post("/api/tasks", "{}", key).text("taskId");

      assertThat(lines.list)
          .as("one metric line for the task that never started")
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line.getFormattedMessage())
                      .contains("\"taskId\":\"" + taskId + "\"")
                      .contains("\"TasksFailed\":1")
                      .contains("\"ErrorType\":\"WorkflowUnavailable\""));
    } finally {
      metrics.detachAppender(lines);
      sfn.clearFailures();
    }
  }

  // ---- read
  // ------------------------------------------------------------------------------------------------

  @Test
  void get_unknownTask_is404() {
    Response r = api.get("/api/tasks/does-not-exist");
    assertProblem(r, 404, "does-not-exist");
    assertThat(r.body())
        .as("only the extensions a problem has")
        .doesNotContain("earliestStep")
        .doesNotContain("violations")
        .doesNotContain("null");
  }

  @Test
  void unknownRoute_is404Problem() {
    assertProblem(api.get("/api/nothing-here"), 404, "");
  }

  @Test
  void get_showsStepsRunsAndCheckpoint() {
    String id = created("{}");
    driver.invoke(id, "r0", PaperDigest.FETCH_PAPERS);

    Response task = api.get("/api/tasks/" + id);
    assertThat(task.json().get("steps").get(0).get("status").getStringValue())
        .isEqualTo("succeeded");
    assertThat(task.json().get("steps").get(0).get("attempts").getIntValue()).isEqualTo(1);
    assertThat(task.json().get("steps").get(1).get("status").getStringValue()).isEqualTo("pending");
    assertThat(task.text("lastSuccessfulStep")).isEqualTo("fetch_papers");
    assertThat(task.json().get("resumable").getBooleanValue()).isFalse();

    Response checkpoint = api.get("/api/tasks/" + id + "/checkpoint");
    assertThat(checkpoint.status()).isEqualTo(200);
    var fetch = checkpoint.json().get("steps").get("fetch_papers");
    assertThat(fetch.get("status").getStringValue()).isEqualTo("succeeded");
    assertThat(fetch.get("output").get("step").getStringValue()).isEqualTo("fetch_papers");
    assertThat(fetch.get("expiresAt").getStringValue()).isNotBlank();
    assertThat(checkpoint.json().get("steps").get("analyze").get("output").isNull())
        .as("output is present and null")
        .isTrue();
  }

  @Test
  void list_pagesNewestFirst_andFiltersByStatus() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(created("{}"));
    }
    Response page1 = api.get("/api/tasks?status=running&limit=3");
    Response page2 =
        api.get("/api/tasks?status=running&limit=3&cursor=" + page1.text("nextCursor"));

    List<String> seen = new ArrayList<>();
    page1.json().get("items").values().forEach(t -> seen.add(t.get("taskId").getStringValue()));
    page2.json().get("items").values().forEach(t -> seen.add(t.get("taskId").getStringValue()));
    assertThat(page1.json().get("items").size()).isEqualTo(3);
    assertThat(seen).doesNotHaveDuplicates().containsAll(ids);
    assertThat(seen.indexOf(ids.get(4))).isLessThan(seen.indexOf(ids.get(0)));
    assertThat(api.get("/api/tasks?status=succeeded").json().get("items").size()).isZero();
    assertThat(api.get("/api/tasks?limit=2").json().get("items").size()).isEqualTo(2);
  }

  @Test
  void list_badParameters_are400() {
    assertProblem(api.get("/api/tasks?status=done"), 400, "status");
    assertProblem(api.get("/api/tasks?limit=0"), 400, "limit");
    assertProblem(api.get("/api/tasks?limit=abc"), 400, "limit");
    assertProblem(api.get("/api/tasks?cursor=%25%25%25"), 400, "cursor");
    assertProblem(api.get("/api/tasks?pipeline=nope"), 400, "pipeline");
    assertProblem(api.get("/api/tasks/stats?pipeline=nope"), 400, "pipeline");
  }

  @Test
  void listAndStats_byPipeline_countATaskStoredBeforeTasksRecordedTheirPipelineAsTheDigests() {
    String recorded = created("{}");
    String legacy = created("{}");
    LocalDynamo.client()
        .updateItem(
            b ->
                b.tableName(table)
                    .key(
                        Map.of(
                            "PK",
                            AttributeValue.fromS("TASK#" + legacy),
                            "SK",
                            AttributeValue.fromS("META")))
                    .updateExpression("REMOVE pipeline"));

    List<String> digests = new ArrayList<>();
    api.get("/api/tasks?pipeline=paper-digest&status=running&limit=100")
        .json()
        .get("items")
        .values()
        .forEach(t -> digests.add(t.get("taskId").getStringValue()));
    assertThat(digests).contains(recorded, legacy);
    assertThat(api.get("/api/tasks?pipeline=echo").json().get("items").size()).isZero();
    long running = api.get("/api/tasks/stats").json().get("running").getLongValue();
    assertThat(
            api.get("/api/tasks/stats?pipeline=paper-digest").json().get("running").getLongValue())
        .isEqualTo(running);
    assertThat(api.get("/api/tasks/stats?pipeline=echo").json().get("running").getLongValue())
        .isZero();
  }

  @Test
  void stats_countsEveryStatus() {
    String failed = failAt(PaperDigest.ANALYZE);
    Response stats = api.get("/api/tasks/stats");

    assertThat(stats.status()).isEqualTo(200);
    for (String status : List.of("pending", "running", "succeeded", "failed", "cancelled")) {
      assertThat(stats.json().get(status)).as(status).isNotNull();
    }
    assertThat(stats.json().get("failed").getLongValue()).isGreaterThanOrEqualTo(1);
    assertThat(api.get("/api/tasks/" + failed).text("status")).isEqualTo("failed");
  }

  // ---- retry
  // -----------------------------------------------------------------------------------------------

  @Test
  void retryFromFailedStep_skipsCompletedSteps() {
    String id = failAt(PaperDigest.RENDER_IMAGES);
    Response failed = api.get("/api/tasks/" + id);
    assertThat(failed.text("failedStep")).isEqualTo("render_images");
    assertThat(failed.json().get("error").get("message").getStringValue())
        .contains("boom at render_images");
    assertThat(failed.json().get("resumable").getBooleanValue()).isTrue();

    Response retried = api.post("/api/tasks/" + id + "/retry", null);

    assertThat(retried.status()).as(retried.body()).isEqualTo(202);
    assertThat(retried.text("status")).isEqualTo("running");
    assertThat(retried.text("retryCount")).isEqualTo("1");
    assertThat(retried.json().get("runs").get(1).get("startAt").getStringValue())
        .isEqualTo("render_images");
    assertThat(retried.json().get("steps").get(2).get("status").getStringValue())
        .isEqualTo("stale");
    assertThat(retried.json().get("error").isNull()).as("error is present and null").isTrue();
    assertThat(
            sfn.execution(
                STATE_MACHINE_ARN.replace("stateMachine", "execution") + ":" + id + "--r1"))
        .isPresent();

    driver.runFrom(id, "r1", PaperDigest.RENDER_IMAGES);
    assertThat(steps.runs(PaperDigest.FETCH_PAPERS)).isZero();
    assertThat(steps.runs(PaperDigest.ANALYZE)).isZero();
    assertThat(steps.runs(PaperDigest.RENDER_IMAGES)).isEqualTo(1);
    assertThat(
            api.get("/api/tasks/" + id).json().get("steps").get(4).get("status").getStringValue())
        .isEqualTo("succeeded");
  }

  @Test
  void retryFromNamedStep_marksItAndLaterStepsStale() {
    String id = failAt(PaperDigest.PUBLISH);
    Response retried = api.post("/api/tasks/" + id + "/retry/analyze", null);

    assertThat(retried.status()).isEqualTo(202);
    assertThat(retried.json().get("runs").get(1).get("startAt").getStringValue())
        .isEqualTo("analyze");
    List<String> statuses = new ArrayList<>();
    retried
        .json()
        .get("steps")
        .values()
        .forEach(s -> statuses.add(s.get("status").getStringValue()));
    assertThat(statuses).containsExactly("succeeded", "stale", "stale", "stale", "stale");
    assertThat(
            sfn.calls("StartExecution").stream()
                .filter(c -> c.body().get("name").asText().equals(id + "--r1"))
                .map(c -> c.body().get("input").asText()))
        .containsExactly(
            "{\"taskId\":\""
                + id
                + "\",\"runId\":\"r1\",\"startAt\":\"analyze\",\"rateLimitWaits\":{},\"review\":false}");
  }

  @Test
  void retry_unknownStep_is400() {
    String id = failAt(PaperDigest.ANALYZE);
    assertProblem(
        api.post("/api/tasks/" + id + "/retry/summarise", null), 400, "unknown step 'summarise'");
  }

  @Test
  void retry_ofRunningTask_is409AndChangesNothing() {
    String id = created("{}");
    assertProblem(
        api.post("/api/tasks/" + id + "/retry", null),
        409,
        "task is running; only failed, cancelled or (from a named step) succeeded tasks can be run again");
    assertThat(api.get("/api/tasks/" + id).text("retryCount")).isEqualTo("0");
  }

  @Test
  void retryWithOverrides_throughTheLambdaHandler_changesTheInputForTheNewRun() {
    String id = failAt(PaperDigest.ANALYZE);
    Response r =
        api.post("/api/tasks/" + id + "/retry/analyze", "{\"overrides\":{\"language\":\"en\"}}");
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    assertThat(r.json().get("runs").get(1).get("overrides").get("language").getStringValue())
        .isEqualTo("en");
    assertThat(r.json().get("input").get("language").getStringValue()).isEqualTo("en");
  }

  @Test
  void retry_unknownTask_is404() {
    assertProblem(api.post("/api/tasks/nope/retry", null), 404, "nope");
  }

  @Test
  void retryRace_twoThreads_exactlyOneWins() throws Exception {
    String id = failAt(PaperDigest.ANALYZE);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Response>> results = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return api.post("/api/tasks/" + id + "/retry", null);
                }));
      }
      go.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Response> f : results) {
        statuses.add(f.get().status());
      }
      assertThat(statuses).containsExactlyInAnyOrder(202, 409);
    } finally {
      pool.shutdownNow();
    }
    assertThat(
            sfn.calls("StartExecution").stream()
                .filter(c -> c.body().get("name").asText().startsWith(id + "--r1")))
        .hasSize(1);
    assertThat(api.get("/api/tasks/" + id).text("retryCount")).isEqualTo("1");
  }

  @Test
  void retryFromStepWhoseNeededCheckpointExpired_is409NamingEarliestStep() {
    String id = failAt(PaperDigest.BUILD_PAYLOAD);
    LocalDynamo.client()
        .updateItem(
            b ->
                b.tableName(table)
                    .key(
                        Map.of(
                            "PK",
                            AttributeValue.fromS("TASK#" + id),
                            "SK",
                            AttributeValue.fromS("STEP#1#analyze")))
                    .updateExpression("SET expiresAt = :past")
                    .expressionAttributeValues(
                        Map.of(
                            ":past",
                            AttributeValue.fromN(
                                Long.toString(Instant.now().getEpochSecond() - 1)))));

    Response refused = api.post("/api/tasks/" + id + "/retry/render_images", null);
    assertProblem(refused, 409, "retry from analyze");
    assertThat(refused.text("earliestStep")).isEqualTo("analyze");
    assertProblem(api.post("/api/tasks/" + id + "/retry", null), 409, "retry from analyze");
    assertThat(api.get("/api/tasks/" + id).text("status")).isEqualTo("failed");

    assertThat(api.post("/api/tasks/" + id + "/retry/analyze", null).status()).isEqualTo(202);
  }

  // ---- cancel
  // ----------------------------------------------------------------------------------------------

  @Test
  void cancel_stopsExecutionAndAllowsRetryLater() {
    String id = created("{}");
    Response cancelled = api.post("/api/tasks/" + id + "/cancel", null);

    assertThat(cancelled.status()).isEqualTo(202);
    assertThat(cancelled.text("status")).isEqualTo("cancelled");
    String arn = STATE_MACHINE_ARN.replace("stateMachine", "execution") + ":" + id + "--r0";
    assertThat(sfn.execution(arn).orElseThrow().status()).isEqualTo("ABORTED");
    assertProblem(api.post("/api/tasks/" + id + "/cancel", null), 409, "already cancelled");
    assertThat(api.post("/api/tasks/" + id + "/retry", null).status()).isEqualTo(202);
  }

  @Test
  void cancel_unknownTask_is404() {
    assertProblem(api.post("/api/tasks/nope/cancel", null), 404, "nope");
  }
}
