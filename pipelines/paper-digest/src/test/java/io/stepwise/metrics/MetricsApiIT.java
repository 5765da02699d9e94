package io.stepwise.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.lifecycle.ExecutionError;
import io.stepwise.lifecycle.ExecutionOutcome;
import io.stepwise.lifecycle.TaskLifecycle;
import io.stepwise.model.Times;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.testing.ApiClient;
import io.stepwise.testing.ApiClient.Response;
import io.stepwise.testing.DigestServicesBase;
import io.stepwise.testing.LocalDynamo;
import io.stepwise.testing.StepDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code GET /api/metrics} through the api Lambda handler, over tasks finished by the real
 * lifecycle handlers.
 */
@MicronautTest(environments = {"test", "scripted"})
class MetricsApiIT extends DigestServicesBase {

  ApiClient api;
  StepDriver driver;
  TaskLifecycle lifecycle;

  @BeforeAll
  void setUp() {
    api = new ApiClient(context);
    driver = new StepDriver(context);
    lifecycle = context.getBean(TaskLifecycle.class);
    // this class's table: 3 succeeded (one after a retry), 2 failed, 1 cancelled, 1 running, and 1
    // that
    // succeeded three days ago
    for (int i = 0; i < 2; i++) {
      succeed(created(), "r0");
    }
    String retried = created();
    failAt(retried, PaperDigest.RENDER_IMAGES);
    assertThat(api.post("/api/tasks/" + retried + "/retry", null).status()).isEqualTo(202);
    succeed(retried, "r1");
    failAt(created(), PaperDigest.ANALYZE);
    failAt(created(), PaperDigest.ANALYZE);
    assertThat(api.post("/api/tasks/" + created() + "/cancel", null).status()).isEqualTo(202);
    created();
    String old = created();
    succeed(old, "r0");
    moveBack(old, Duration.ofDays(3));
  }

  private String created() {
    Response r = api.post("/api/tasks", "{}");
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.text("taskId");
  }

  private void succeed(String taskId, String runId) {
    assertThat(
            lifecycle.onExecutionStatus(
                taskId, runId, ExecutionOutcome.SUCCEEDED, 0, ExecutionError.NONE))
        .isTrue();
  }

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

  /** Pretends the task finished {@code ago}: its activity key in the by-status index moves back. */
  private void moveBack(String taskId, Duration ago) {
    Instant then = Instant.now().minus(ago);
    LocalDynamo.client()
        .updateItem(
            b ->
                b.tableName(table)
                    .key(
                        Map.of(
                            "PK",
                            AttributeValue.fromS("TASK#" + taskId),
                            "SK",
                            AttributeValue.fromS("META")))
                    .updateExpression("SET GSI1SK = :sk, updatedAt = :at, createdAt = :at")
                    .expressionAttributeValues(
                        Map.of(
                            ":sk",
                            AttributeValue.fromS(Times.format(then) + "#" + taskId),
                            ":at",
                            AttributeValue.fromS(Times.format(then)))));
  }

  @Test
  void metrics_over24h_countOnlyTasksFinishedInTheWindow() {
    Response r = api.get("/api/metrics?window=24h");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode m = r.json();
    assertThat(m.get("window").getStringValue()).isEqualTo("24h");
    assertThat(m.get("succeeded").getLongValue()).isEqualTo(3);
    assertThat(m.get("failed").getLongValue()).isEqualTo(2);
    assertThat(m.get("cancelled").getLongValue()).isEqualTo(1);
    assertThat(m.get("rejected").getLongValue()).isZero();
    assertThat(m.get("finished").getLongValue()).isEqualTo(6);
    assertThat(m.get("successRate").getDoubleValue()).isEqualTo(0.6);
    assertThat(m.get("retryCounts").get("0").getLongValue()).isEqualTo(4);
    assertThat(m.get("retryCounts").get("1").getLongValue()).isEqualTo(1);
    assertThat(m.get("failuresByStep").get("analyze").get("TerminalStepException").getLongValue())
        .isEqualTo(2);
    assertThat(m.get("failuresByStep").get("render_images"))
        .as("retried and then succeeded: not a failure")
        .isNull();
    long p50 = m.get("durationMs").get("p50").getLongValue();
    long p90 = m.get("durationMs").get("p90").getLongValue();
    assertThat(p50).isBetween(0L, 60_000L);
    assertThat(p90).isGreaterThanOrEqualTo(p50);
  }

  @Test
  void metrics_overAWeek_includeTheOlderTask() {
    JsonNode m = api.get("/api/metrics?window=7d").json();
    assertThat(m.get("succeeded").getLongValue()).isEqualTo(4);
    assertThat(m.get("durationMs").get("max").getLongValue())
        .isLessThan(Duration.ofMinutes(1).toMillis());
  }

  @Test
  void metrics_withoutWindow_default24h() {
    assertThat(api.get("/api/metrics").json().get("window").getStringValue()).isEqualTo("24h");
  }

  @Test
  void metrics_badWindow_is400() {
    for (String w : new String[] {"24", "0h", "31d", "1w", "-1h", "24h;drop"}) {
      Response r = api.get("/api/metrics?window=" + w);
      assertThat(r.status()).as(w).isEqualTo(400);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.text("detail")).contains("window");
    }
  }
}
