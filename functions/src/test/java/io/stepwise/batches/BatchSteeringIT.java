package io.stepwise.batches;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.lifecycle.ExecutionError;
import io.stepwise.lifecycle.ExecutionEventsFunction;
import io.stepwise.lifecycle.TaskLifecycle;
import io.stepwise.model.Pipelines;
import io.stepwise.model.TaskError;
import io.stepwise.model.TaskStatus;
import io.stepwise.tasks.TaskRepository;
import io.stepwise.tasks.TaskService;
import io.stepwise.testing.ApiClient;
import io.stepwise.testing.ApiClient.Response;
import io.stepwise.testing.LocalServicesBase;
import io.stepwise.testing.StatusChangeEvents;
import io.stepwise.testing.TaskFixtures;
import io.stepwise.testing.TestLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Run limits, pause, resume and cancel of a batch, and its view, through the real api and
 * execution-events handlers, DynamoDB Local and the Step Functions emulator (executions held in
 * their first state: the test decides when a task ends).
 */
@MicronautTest(environments = "test")
class BatchSteeringIT extends LocalServicesBase {

  private static final int PACERS = 8;

  private ApiClient api;
  private ExecutionEventsFunction events;
  private ExecutorService pool;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = new java.util.HashMap<>(super.getProperties());
    p.put("stepwise.batches.max-running", "6");
    return p;
  }

  @BeforeAll
  void clients() {
    api = new ApiClient(context);
    events = new ExecutionEventsFunction(context);
    pool = Executors.newFixedThreadPool(PACERS);
  }

  @AfterAll
  void stopPool() {
    pool.shutdownNow();
  }

  private JsonNode created(String body) {
    Response r = api.post("/api/batches", body);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    JsonNode created = json(r);
    batches.add(created.get("batchId").getStringValue());
    return created;
  }

  /** The batches a test made: their tasks hold run slots of all batches until they end. */
  private final List<String> batches = new ArrayList<>();

  @AfterEach
  void endEveryTask() {
    TaskService tasks = context.getBean(TaskService.class);
    for (String batchId : batches) {
      for (String id : taskIds(batchId)) {
        if (status(id).active()) {
          tasks.cancel(id);
        }
      }
    }
    batches.clear();
  }

  private JsonNode json(Response r) {
    try {
      return context.getBean(JsonMapper.class).readValue(r.body(), JsonNode.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private List<String> ids(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.values().forEach(v -> values.add(v.getStringValue()));
    return values;
  }

  private TaskStatus status(String taskId) {
    return context.getBean(TaskRepository.class).find(taskId).orElseThrow().status();
  }

  private long count(List<String> taskIds, TaskStatus status) {
    return taskIds.stream().filter(id -> status(id) == status).count();
  }

  private long startsOf(List<String> taskIds) {
    return sfn.calls("StartExecution").stream()
        .filter(c -> taskIds.stream().anyMatch(id -> c.body().get("name").asText().startsWith(id)))
        .count();
  }

  /** What EventBridge delivers when the task's run {@code run} ends with {@code status}. */
  private void ended(String taskId, int run, String status) {
    String event =
        StatusChangeEvents.of(
            taskId, run, status, 0, status.equals("FAILED") ? "States.TaskFailed" : null, null);
    try {
      events.handleRequest(
          new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
          new ByteArrayOutputStream(),
          new TestLambdaContext("execution-events"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void assertProblem(Response r, int status, String detailPart) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.text("detail")).contains(detailPart);
  }

  // ---- run limits

  @Test
  void create_startsAtMostMaxRunning_andTheRestWaitPending() {
    JsonNode batch = created("{\"count\":5,\"maxRunning\":2}");
    List<String> ids = ids(batch.get("taskIds"));

    assertThat(count(ids, TaskStatus.RUNNING)).isEqualTo(2);
    assertThat(count(ids, TaskStatus.PENDING)).isEqualTo(3);
    assertThat(startsOf(ids)).isEqualTo(2);
    JsonNode view = json(api.get("/api/batches/" + batch.get("batchId").getStringValue()));
    assertThat(view.get("status").getStringValue()).isEqualTo("running");
    assertThat(view.get("maxRunning").getIntValue()).isEqualTo(2);
    assertThat(view.get("progress").get("done").getLongValue()).isZero();
  }

  @Test
  void maxRunningOutOfRange_is400_andCreatesNothing() {
    long before = sfn.calls("StartExecution").size();
    assertProblem(api.post("/api/batches", "{\"count\":2,\"maxRunning\":0}"), 400, "maxRunning");
    assertProblem(api.post("/api/batches", "{\"count\":2,\"maxRunning\":7}"), 400, "1 to 6");
    assertProblem(
        api.post("/api/batches", "{\"count\":2,\"maxRunning\":\"2\"}"), 400, "maxRunning");
    assertThat(sfn.calls("StartExecution")).hasSize((int) before);
  }

  @Test
  void aFinishedTasksEvent_startsTheBatchsNextTask_withinTheLimit() {
    JsonNode batch = created("{\"count\":4,\"maxRunning\":2}");
    List<String> ids = ids(batch.get("taskIds"));
    List<String> running = ids.stream().filter(id -> status(id) == TaskStatus.RUNNING).toList();

    ended(running.get(0), 0, "SUCCEEDED");
    assertThat(count(ids, TaskStatus.RUNNING)).isEqualTo(2);
    assertThat(count(ids, TaskStatus.PENDING)).isEqualTo(1);

    ended(running.get(0), 0, "SUCCEEDED"); // a repeated event starts nothing more
    ended(running.get(1), 0, "FAILED");
    assertThat(count(ids, TaskStatus.RUNNING)).isEqualTo(2);
    assertThat(count(ids, TaskStatus.PENDING)).isZero();
    assertThat(startsOf(ids)).isEqualTo(4);
  }

  /**
   * Many pacers at once (as when several tasks end together): a batch of 12 with maxRunning 3, and
   * a second batch sharing the global cap of 6. Each round, 8 threads pace both batches at once;
   * then every running task ends and the next round starts. The running count never exceeds either
   * limit and no task is started twice.
   */
  @Test
  void concurrentPacers_neverExceedTheLimits_norStartATaskTwice() throws Exception {
    BatchPacer pacer = context.getBean(BatchPacer.class);
    TaskService tasks = context.getBean(TaskService.class);
    String a = stored(12, 3);
    String b = stored(12, 5);
    List<String> idsA = taskIds(a);
    List<String> idsB = taskIds(b);
    int maxA = 0;
    int maxAll = 0;
    for (int round = 0; round < 6; round++) {
      List<Future<List<BatchPacer.Start>>> runs = new ArrayList<>();
      for (int i = 0; i < PACERS; i++) {
        String batchId = i % 2 == 0 ? a : b;
        Callable<List<BatchPacer.Start>> pace = () -> pacer.startNext(batchId);
        runs.add(pool.submit(pace));
      }
      Set<String> startedNow = new HashSet<>();
      for (Future<List<BatchPacer.Start>> f : runs) {
        for (BatchPacer.Start s : f.get()) {
          assertThat(startedNow.add(s.taskId())).as("started twice: " + s.taskId()).isTrue();
        }
      }
      int runningA = (int) count(idsA, TaskStatus.RUNNING);
      int runningB = (int) count(idsB, TaskStatus.RUNNING);
      maxA = Math.max(maxA, runningA);
      maxAll = Math.max(maxAll, runningA + runningB);
      assertThat(runningA).as("batch a, round %d", round).isLessThanOrEqualTo(3);
      assertThat(runningB).as("batch b, round %d", round).isLessThanOrEqualTo(5);
      assertThat(runningA + runningB).as("all batches, round %d", round).isLessThanOrEqualTo(6);
      for (String id : idsA) {
        if (status(id) == TaskStatus.RUNNING) {
          tasks.cancel(id);
        }
      }
      for (String id : idsB) {
        if (status(id) == TaskStatus.RUNNING) {
          tasks.cancel(id);
        }
      }
    }
    System.out.printf(
        "concurrent pacers: batch a max running %d of maxRunning 3; all batches %d of 6%n",
        maxA, maxAll);
    assertThat(maxA).isEqualTo(3);
    assertThat(maxAll).isEqualTo(6);
    for (String id : idsA) {
      assertThat(startsOfName(id)).as(id).isLessThanOrEqualTo(1);
    }
    assertThat(count(idsA, TaskStatus.PENDING) + count(idsB, TaskStatus.PENDING)).isZero();
  }

  private long startsOfName(String taskId) {
    return sfn.calls("StartExecution").stream()
        .filter(c -> c.body().get("name").asText().startsWith(taskId + "--"))
        .count();
  }

  /** A batch stored with its tasks pending and nothing started. */
  private String stored(int n, int maxRunning) {
    String batchId = UUID.randomUUID().toString();
    Instant now = Instant.now();
    context
        .getBean(BatchRepository.class)
        .insert(
            new Batch(
                batchId,
                n,
                "hash",
                null,
                now,
                now.plus(Duration.ofDays(1)),
                maxRunning,
                Batch.Steering.RUNNING,
                List.of()));
    TaskService tasks = context.getBean(TaskService.class);
    for (int i = 0; i < n; i++) {
      tasks.prepare("echo", TaskFixtures.input("x"), batchId + "#" + i, null, batchId);
    }
    batches.add(batchId);
    return batchId;
  }

  private List<String> taskIds(String batchId) {
    return context.getBean(BatchRepository.class).tasks(batchId).stream()
        .map(io.stepwise.model.Task::taskId)
        .toList();
  }

  // ---- pause, resume, cancel

  @Test
  void pause_startsNothingNew_resume_startsAgain_cancel_endsEverything() {
    JsonNode batch = created("{\"count\":4,\"maxRunning\":1}");
    String id = batch.get("batchId").getStringValue();
    List<String> ids = ids(batch.get("taskIds"));
    String first = ids.stream().filter(t -> status(t) == TaskStatus.RUNNING).findFirst().get();

    Response paused = api.post("/api/batches/" + id + "/pause", null);
    assertThat(paused.status()).as(paused.body()).isEqualTo(200);
    assertThat(paused.text("status")).isEqualTo("paused");
    assertProblem(api.post("/api/batches/" + id + "/pause", null), 409, "paused");

    ended(first, 0, "SUCCEEDED");
    assertThat(count(ids, TaskStatus.RUNNING)).as("paused: nothing new starts").isZero();
    assertThat(count(ids, TaskStatus.PENDING)).isEqualTo(3);

    Response resumed = api.post("/api/batches/" + id + "/resume", null);
    assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
    assertThat(resumed.text("status")).isEqualTo("running");
    assertThat(count(ids, TaskStatus.RUNNING)).isEqualTo(1);
    assertProblem(api.post("/api/batches/" + id + "/resume", null), 409, "running");

    Response cancelled = api.post("/api/batches/" + id + "/cancel", null);
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(202);
    JsonNode c = json(cancelled);
    assertThat(ids(c.get("cancelled"))).hasSize(3);
    assertThat(c.get("batch").get("status").getStringValue()).isEqualTo("finished");
    assertThat(count(ids, TaskStatus.CANCELLED)).isEqualTo(3);
    assertThat(count(ids, TaskStatus.SUCCEEDED)).isEqualTo(1);
    long starts = startsOf(ids);

    assertProblem(api.post("/api/batches/" + id + "/cancel", null), 409, "cancelled");
    assertProblem(api.post("/api/batches/" + id + "/pause", null), 409, "cancelled");
    assertProblem(api.post("/api/batches/" + id + "/resume", null), 409, "cancelled");
    assertThat(startsOf(ids)).as("a refused request starts nothing").isEqualTo(starts);
  }

  @Test
  void pauseOfAFinishedBatch_is409() {
    JsonNode batch = created("{\"count\":1}");
    String id = batch.get("batchId").getStringValue();
    ended(ids(batch.get("taskIds")).get(0), 0, "SUCCEEDED");
    assertProblem(api.post("/api/batches/" + id + "/pause", null), 409, "finished");
    assertProblem(api.post("/api/batches/" + id + "/cancel", null), 409, "finished");
    assertThat(json(api.get("/api/batches/" + id)).get("status").getStringValue())
        .isEqualTo("finished");
  }

  @Test
  void unknownOrAnotherUsersBatch_is404_andNothingChanges() {
    Map<String, String> alice = Map.of("sub", "alice-steer");
    Map<String, String> bob = Map.of("sub", "bob-steer");
    Response r = api.postAs("/api/batches", "{\"count\":2,\"maxRunning\":1}", alice);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    String id = r.text("batchId");
    batches.add(id);
    for (String action : List.of("pause", "resume", "cancel")) {
      assertProblem(api.postAs("/api/batches/" + id + "/" + action, null, bob), 404, "");
      assertProblem(
          api.post("/api/batches/" + UUID.randomUUID() + "/" + action, null),
          404,
          "does not exist");
      assertProblem(api.post("/api/batches/" + "x".repeat(300) + "/" + action, null), 404, "");
    }
    Response seen = api.getAs("/api/batches/" + id, alice);
    assertThat(seen.text("status")).isEqualTo("running");
    assertThat(json(seen).get("stats").get("pending").getLongValue()).isEqualTo(1);
  }

  // ---- the batch view

  @Test
  void view_listsFailedTasksWithStepAndReason_andEveryRetry() {
    JsonNode batch = created("{\"count\":3,\"maxRunning\":3}");
    String id = batch.get("batchId").getStringValue();
    List<String> ids = ids(batch.get("taskIds"));
    fail(ids.get(0), "boom one");
    fail(ids.get(1), "boom two");

    JsonNode view = json(api.get("/api/batches/" + id));
    assertThat(view.get("failed").size()).isEqualTo(2);
    JsonNode failed = view.get("failed").get(0);
    assertThat(failed.get("failedStep").getStringValue()).isEqualTo("greet");
    assertThat(failed.get("errorType").getStringValue()).isEqualTo("TerminalStepException");
    assertThat(failed.get("reason").getStringValue()).startsWith("boom");
    assertThat(view.get("progress").get("done").getLongValue()).isEqualTo(2);
    assertThat(view.get("progress").get("percent").getIntValue()).isEqualTo(66);
    assertThat(view.get("retries").size()).isZero();

    Response one = api.post("/api/tasks/" + ids.get(0) + "/retry", null);
    assertThat(one.status()).as(one.body()).isEqualTo(202);
    assertThat(one.text("status")).isEqualTo("running");
    Response all = api.post("/api/batches/" + id + "/retry-failed", null);
    assertThat(all.status()).as(all.body()).isEqualTo(202);
    assertThat(ids(json(all).get("retried"))).containsExactly(ids.get(1));

    JsonNode after = json(api.get("/api/batches/" + id));
    assertThat(after.get("failed").size()).isZero();
    JsonNode retries = after.get("retries");
    assertThat(retries.size()).isEqualTo(2);
    assertThat(retries.get(0).get("kind").getStringValue()).isEqualTo("task");
    assertThat(retries.get(0).get("taskId").getStringValue()).isEqualTo(ids.get(0));
    assertThat(retries.get(1).get("kind").getStringValue()).isEqualTo("retry-failed");
    assertThat(retries.get(1).get("count").getIntValue()).isEqualTo(1);
    assertThat(retries.get(1).get("at").getStringValue()).isNotBlank();
    assertThat(count(ids, TaskStatus.RUNNING)).isEqualTo(3);
  }

  @Test
  void aRetriedTask_waitsForASlotOfItsBatch() {
    JsonNode batch = created("{\"count\":3,\"maxRunning\":1}");
    List<String> ids = ids(batch.get("taskIds"));
    String first = ids.stream().filter(t -> status(t) == TaskStatus.RUNNING).findFirst().get();
    fail(first, "boom");
    ended(first, 0, "FAILED"); // its slot is free: the next task starts
    assertThat(count(ids, TaskStatus.RUNNING)).isEqualTo(1);

    Response retried = api.post("/api/tasks/" + first + "/retry", null);
    assertThat(retried.status()).as(retried.body()).isEqualTo(202);
    assertThat(retried.text("status")).as("the batch is full").isEqualTo("pending");
    assertThat(count(ids, TaskStatus.RUNNING)).isEqualTo(1);
  }

  @Test
  void retryOfATaskWhoseBatchIsGone_startsItAsATaskOfItsOwn() {
    String batchId = UUID.randomUUID().toString(); // no batch item: expired
    String id =
        context
            .getBean(TaskService.class)
            .prepare("echo", TaskFixtures.input("x"), batchId + "#0", null, batchId)
            .taskId();
    context.getBean(BatchPacer.class).startNext(batchId);
    assertThat(status(id)).isEqualTo(TaskStatus.RUNNING);
    fail(id, "boom");

    Response retried = api.post("/api/tasks/" + id + "/retry", null);

    assertThat(retried.status()).as(retried.body()).isEqualTo(202);
    assertThat(retried.text("status")).isEqualTo("running");
    context.getBean(TaskService.class).cancel(id);
  }

  /** The task's first step failed terminally, as the step runtime and the Catch record it. */
  private void fail(String taskId, String message) {
    var pipeline = context.getBean(Pipelines.class).get("echo");
    TaskError error = new TaskError("greet", "TerminalStepException", message);
    context
        .getBean(io.stepwise.steps.StepStore.class)
        .markFailed(taskId, "r0", pipeline.require("greet"), TaskFixtures.failed("r0", error));
    context
        .getBean(TaskLifecycle.class)
        .recordFailure(taskId, "r0", 0, new ExecutionError("TerminalStepException", message));
  }
}
