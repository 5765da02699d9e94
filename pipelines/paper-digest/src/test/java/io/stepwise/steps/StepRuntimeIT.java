package io.stepwise.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.kit.papers.PaperQuery;
import io.stepwise.lifecycle.ExecutionError;
import io.stepwise.lifecycle.TaskLifecycle;
import io.stepwise.model.Pipelines;
import io.stepwise.model.StepStatus;
import io.stepwise.model.Task;
import io.stepwise.model.TaskRecord;
import io.stepwise.model.TaskStatus;
import io.stepwise.pipelines.digest.DigestInput;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.steps.errors.TransientStepException;
import io.stepwise.tasks.TaskService;
import io.stepwise.testing.DigestServicesBase;
import io.stepwise.testing.LocalDynamo;
import io.stepwise.testing.StepDriver;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@MicronautTest(environments = {"test", "scripted"})
class StepRuntimeIT extends DigestServicesBase {

  @Inject TaskService tasks;
  StepDriver driver;

  @Serdeable
  record Blob(String text) {}

  @BeforeAll
  void driver() {
    driver = new StepDriver(context);
  }

  private Task newTask() {
    return tasks.create(
        PaperDigest.NAME,
        tree(
            new DigestInput(
                "arxiv",
                new PaperQuery(List.of("cs.AI"), List.of(), 2),
                3,
                "en",
                new DigestInput.Publish("none"),
                null)),
        null,
        null,
        null);
  }

  private Map<String, AttributeValue> rawItem(String taskId, String sk) {
    return LocalDynamo.client()
        .getItem(
            b ->
                b.tableName(table)
                    .key(
                        Map.of(
                            "PK",
                            AttributeValue.fromS("TASK#" + taskId),
                            "SK",
                            AttributeValue.fromS(sk))))
        .item();
  }

  @Test
  void pipeline_runsEveryStepWithEarlierOutputs_andCheckpointsEach() {
    Task task = newTask();
    driver.runFrom(task.taskId(), task.currentRunId(), PaperDigest.FETCH_PAPERS);

    TaskRecord record = tasks.get(task.taskId());
    assertThat(record.checkpoints()).hasSize(5);
    assertThat(record.checkpoints().get(PaperDigest.PUBLISH).outputJson())
        .contains("\"seen\":[\"fetch_papers\",\"analyze\",\"render_images\",\"build_payload\"]");
    assertThat(record.task().lastSuccessfulStep()).isEqualTo(PaperDigest.PUBLISH);
    record
        .task()
        .steps()
        .values()
        .forEach(
            s -> {
              assertThat(s.status()).isEqualTo(StepStatus.SUCCEEDED);
              assertThat(s.attempts()).isEqualTo(1);
              assertThat(s.executions()).isEqualTo(1);
              assertThat(s.checkpointExpiresAt()).isAfter(s.finishedAt());
            });
  }

  @Test
  void repeatedInvocation_returnsCheckpointWithoutRunningBody() {
    Task task = newTask();
    StepSummary first = driver.invoke(task.taskId(), task.currentRunId(), PaperDigest.FETCH_PAPERS);
    StepSummary again = driver.invoke(task.taskId(), task.currentRunId(), PaperDigest.FETCH_PAPERS);

    assertThat(first.reused()).isFalse();
    assertThat(again.reused()).isTrue();
    assertThat(again.status()).isEqualTo("succeeded");
    assertThat(steps.runs(PaperDigest.FETCH_PAPERS)).isEqualTo(1);
    assertThat(tasks.get(task.taskId()).task().steps().get(PaperDigest.FETCH_PAPERS).executions())
        .isEqualTo(1);
  }

  @Test
  void staleRun_cannotOverwriteNewerCheckpoint() {
    Task task = newTask();
    String oldRun = task.currentRunId();
    driver.invoke(task.taskId(), oldRun, PaperDigest.FETCH_PAPERS);
    steps.on(
        PaperDigest.ANALYZE,
        c -> {
          throw new TerminalStepException("bad paper");
        });
    assertThatThrownBy(() -> driver.invoke(task.taskId(), oldRun, PaperDigest.ANALYZE))
        .isInstanceOf(TerminalStepException.class);
    context
        .getBean(TaskLifecycle.class)
        .recordFailure(
            task.taskId(), oldRun, 0, new ExecutionError("TerminalStepException", "bad paper"));
    steps.reset();
    Task retried = tasks.retry(task.taskId(), null);
    driver.invoke(task.taskId(), retried.currentRunId(), PaperDigest.ANALYZE);
    String newCheckpoint =
        tasks.get(task.taskId()).checkpoints().get(PaperDigest.ANALYZE).outputJson();

    // The old execution (e.g. a console redrive of it) tries to run the step again.
    assertThatThrownBy(() -> driver.invoke(task.taskId(), oldRun, PaperDigest.ANALYZE))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining("stale");

    TaskRecord after = tasks.get(task.taskId());
    assertThat(after.checkpoints().get(PaperDigest.ANALYZE).runId())
        .isEqualTo(retried.currentRunId());
    assertThat(after.checkpoints().get(PaperDigest.ANALYZE).outputJson()).isEqualTo(newCheckpoint);
    assertThat(after.task().steps().get(PaperDigest.ANALYZE).status())
        .isEqualTo(StepStatus.SUCCEEDED);
    assertThat(steps.runs(PaperDigest.ANALYZE)).isEqualTo(1);
  }

  @Test
  void failure_isClassifiedRecordedOnTheStepAndRethrown() {
    Task task = newTask();
    steps.on(
        PaperDigest.FETCH_PAPERS,
        c -> {
          throw new UncheckedIOException(new IOException("connection reset"));
        });

    assertThatThrownBy(
            () -> driver.invoke(task.taskId(), task.currentRunId(), PaperDigest.FETCH_PAPERS))
        .isInstanceOf(TransientStepException.class)
        .hasMessageContaining("connection reset");

    var state = tasks.get(task.taskId()).task().steps().get(PaperDigest.FETCH_PAPERS);
    assertThat(state.status()).isEqualTo(StepStatus.FAILED);
    assertThat(state.error().type()).isEqualTo("TransientStepException");
    assertThat(state.error().message()).contains("connection reset");
    assertThat(tasks.get(task.taskId()).checkpoints()).doesNotContainKey(PaperDigest.FETCH_PAPERS);
  }

  @Test
  void retryOfSameRun_countsAttemptsAndExecutions() {
    Task task = newTask();
    steps.on(
        PaperDigest.FETCH_PAPERS,
        c -> {
          throw new TransientStepException("503 from arXiv");
        });
    assertThatThrownBy(
        () -> driver.invoke(task.taskId(), task.currentRunId(), PaperDigest.FETCH_PAPERS));
    steps.reset();
    driver.invoke(task.taskId(), task.currentRunId(), PaperDigest.FETCH_PAPERS);

    var state = tasks.get(task.taskId()).task().steps().get(PaperDigest.FETCH_PAPERS);
    assertThat(state.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(state.attempts()).isEqualTo(2);
    assertThat(state.executions()).isEqualTo(2);
  }

  @Test
  void missingEarlierCheckpoint_isTerminalNamingTheStep() {
    Task task = newTask();
    assertThatThrownBy(
            () -> driver.invoke(task.taskId(), task.currentRunId(), PaperDigest.RENDER_IMAGES))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining("retry from fetch_papers");
    assertThat(steps.runs(PaperDigest.RENDER_IMAGES)).isZero();
  }

  @Test
  void expiredCheckpoint_countsAsGone() {
    Task task = newTask();
    driver.invoke(task.taskId(), task.currentRunId(), PaperDigest.FETCH_PAPERS);
    expire(task.taskId(), "STEP#0#fetch_papers");

    assertThat(tasks.get(task.taskId()).checkpoints()).doesNotContainKey(PaperDigest.FETCH_PAPERS);
    assertThatThrownBy(() -> driver.invoke(task.taskId(), task.currentRunId(), PaperDigest.ANALYZE))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining("fetch_papers is missing or expired");
  }

  @Test
  void largeOutputs_areGzippedOrKeptInTheBlobStore_andReadBackIntact() {
    Task task = newTask();
    String medium = "x".repeat(20_000);
    StringBuilder big = new StringBuilder();
    Random random = new Random(7);
    while (big.length() < 600_000) {
      big.append(Long.toString(random.nextLong(), 36));
    }
    steps.on(PaperDigest.FETCH_PAPERS, c -> new Blob(medium));
    steps.on(PaperDigest.ANALYZE, c -> new Blob(big.toString()));
    driver.invoke(task.taskId(), task.currentRunId(), PaperDigest.FETCH_PAPERS);
    driver.invoke(task.taskId(), task.currentRunId(), PaperDigest.ANALYZE);

    assertThat(rawItem(task.taskId(), "STEP#0#fetch_papers"))
        .containsKey("outputGz")
        .doesNotContainKey("output");
    assertThat(rawItem(task.taskId(), "STEP#1#analyze"))
        .containsKey("outputRef")
        .doesNotContainKey("outputGz");
    TaskRecord record = tasks.get(task.taskId());
    assertThat(record.checkpoints().get(PaperDigest.FETCH_PAPERS).outputJson())
        .isEqualTo("{\"text\":\"" + medium + "\"}");
    assertThat(record.checkpoints().get(PaperDigest.ANALYZE).outputJson())
        .isEqualTo("{\"text\":\"" + big + "\"}");
  }

  @Test
  void finishedItems_areReusedWhenTheStepRunsAgain() {
    Task task = newTask();
    driver.invoke(task.taskId(), task.currentRunId(), PaperDigest.FETCH_PAPERS);
    List<String> paid = new CopyOnWriteArrayList<>();
    steps.on(
        PaperDigest.ANALYZE,
        c -> {
          for (String paper : List.of("p1", "p2", "p3")) {
            if (c.finishedItem(paper, Blob.class).isEmpty()) {
              if (paper.equals("p3") && c.attempt() == 1) {
                throw new TransientStepException("model timed out on p3");
              }
              paid.add(paper);
              c.keepItem(paper, new Blob("summary of " + paper));
            }
          }
          return new Blob(c.finishedItem("p1", Blob.class).orElseThrow().text());
        });

    assertThatThrownBy(
        () -> driver.invoke(task.taskId(), task.currentRunId(), PaperDigest.ANALYZE));
    driver.invoke(task.taskId(), task.currentRunId(), PaperDigest.ANALYZE);

    assertThat(paid).containsExactly("p1", "p2", "p3");
  }

  @Inject ItemRecords itemRecords;

  @Test
  void theItemPlan_ridesOnTheFirstItemRecordOfEachInvocation_andProgressCountsReusedItems() {
    Task task = newTask();
    driver.invoke(task.taskId(), task.currentRunId(), PaperDigest.FETCH_PAPERS);
    steps.on(
        PaperDigest.ANALYZE,
        c -> {
          c.expectItems(List.of("p1", "p2", "p3"));
          for (String paper : List.of("p1", "p2", "p3")) {
            if (c.finishedItem(paper, Blob.class).isEmpty()) {
              if (paper.equals("p3") && c.attempt() == 1) {
                throw new TransientStepException("model timed out on p3");
              }
              c.keepItem(paper, new Blob("summary of " + paper));
            }
          }
          return new Blob("done");
        });
    String items = "STEP#1#" + PaperDigest.ANALYZE + "#ITEM#";

    assertThatThrownBy(
        () -> driver.invoke(task.taskId(), task.currentRunId(), PaperDigest.ANALYZE));
    assertThat(rawItem(task.taskId(), items + "p1").get("planKeys").l())
        .extracting(AttributeValue::s)
        .containsExactly("p1", "p2", "p3");
    assertThat(rawItem(task.taskId(), items + "p2"))
        .as("written once per invocation")
        .doesNotContainKey("planKeys");
    TaskRecord afterFirst = tasks.get(task.taskId());
    assertThat(
            ItemProgress.of(
                PaperDigest.ANALYZE,
                afterFirst.task().steps().get(PaperDigest.ANALYZE),
                afterFirst.items().keySet(),
                afterFirst.plans()))
        .contains(new ItemProgress(2, 3));
    ItemRecords.Marks marks =
        itemRecords.read(
            task.taskId(),
            context.getBean(Pipelines.class).get(PaperDigest.NAME).require(PaperDigest.ANALYZE));
    assertThat(marks.keys())
        .containsExactlyInAnyOrder(PaperDigest.ANALYZE + "/p1", PaperDigest.ANALYZE + "/p2");
    assertThat(marks.plans())
        .singleElement()
        .extracting(p -> p.runId())
        .isEqualTo(task.currentRunId());

    driver.invoke(task.taskId(), task.currentRunId(), PaperDigest.ANALYZE);
    assertThat(rawItem(task.taskId(), items + "p3"))
        .as("the retry's first record")
        .containsKey("planKeys");
    TaskRecord done = tasks.get(task.taskId());
    assertThat(
            ItemProgress.of(
                PaperDigest.ANALYZE,
                done.task().steps().get(PaperDigest.ANALYZE),
                done.items().keySet(),
                done.plans()))
        .contains(new ItemProgress(3, 3));
  }

  @Test
  void unknownTask_isTerminal() {
    assertThatThrownBy(() -> driver.invoke("no-such-task", "r0", PaperDigest.FETCH_PAPERS))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void taskStatusIsLeftToTheLifecycle() {
    Task task = newTask();
    driver.runFrom(task.taskId(), task.currentRunId(), PaperDigest.FETCH_PAPERS);
    assertThat(tasks.get(task.taskId()).task().status()).isEqualTo(TaskStatus.RUNNING);
  }

  private void expire(String taskId, String sk) {
    LocalDynamo.client()
        .updateItem(
            b ->
                b.tableName(table)
                    .key(
                        Map.of(
                            "PK",
                            AttributeValue.fromS("TASK#" + taskId),
                            "SK",
                            AttributeValue.fromS(sk)))
                    .updateExpression("SET expiresAt = :past")
                    .expressionAttributeValues(
                        Map.of(
                            ":past",
                            AttributeValue.fromN(
                                Long.toString(Instant.now().getEpochSecond() - 60)))));
  }
}
