package io.stepwise.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.model.Run;
import io.stepwise.model.Task;
import io.stepwise.model.TaskError;
import io.stepwise.model.TaskStatus;
import io.stepwise.pipelines.digest.PaperDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsFiguresTest {

  private static final Instant NOW = Instant.parse("2026-11-23T06:00:00Z");
  private final JsonMapper json = JsonMapper.createDefault();
  private final EmfTaskOutcomes emf = new EmfTaskOutcomes(json, Clock.fixed(NOW, ZoneOffset.UTC));

  private static Task task(TaskStatus status, int retries, TaskError error, Duration took) {
    Run run = new Run("r" + retries, "arn", PaperDigest.FETCH_PAPERS, status, 0, 1);
    return Task.builder()
        .taskId("t-1")
        .pipeline(PaperDigest.NAME)
        .status(status)
        .input(JsonNode.createObjectNode(Map.of()))
        .failedStep(error == null ? null : error.step())
        .error(error)
        .retryCount(retries)
        .currentRunId("r" + retries)
        .runs(List.of(run))
        .version(3)
        .createdAt(NOW.minus(took))
        .updatedAt(NOW)
        .expiresAt(NOW.plus(Duration.ofDays(30)))
        .build();
  }

  private JsonNode line(Task task) throws Exception {
    return json.readValue(json.writeValueAsString(emf.line(task)), JsonNode.class);
  }

  /**
   * The EMF rules CloudWatch applies: every declared metric is a number at the root, every
   * dimension a string.
   */
  private static void assertValidEmf(JsonNode line) {
    JsonNode aws = line.get("_aws");
    assertThat(aws.get("Timestamp").getLongValue()).isEqualTo(NOW.toEpochMilli());
    for (JsonNode directive : aws.get("CloudWatchMetrics").values()) {
      assertThat(directive.get("Namespace").getStringValue()).isEqualTo("Stepwise");
      for (JsonNode set : directive.get("Dimensions").values()) {
        set.values()
            .forEach(
                d ->
                    assertThat(line.get(d.getStringValue()).isString())
                        .as(d.getStringValue())
                        .isTrue());
      }
      for (JsonNode metric : directive.get("Metrics").values()) {
        assertThat(line.get(metric.get("Name").getStringValue()).isNumber())
            .as(metric.get("Name").getStringValue())
            .isTrue();
        assertThat(metric.get("Unit").getStringValue()).isIn("Count", "Milliseconds");
      }
    }
  }

  @Test
  void emfLine_ofSucceededTask_carriesCountDurationAndRetries() throws Exception {
    JsonNode line = line(task(TaskStatus.SUCCEEDED, 2, null, Duration.ofSeconds(90)));

    assertValidEmf(line);
    assertThat(line.get("TasksSucceeded").getIntValue()).isEqualTo(1);
    assertThat(line.get("TasksFailed").getIntValue()).isZero();
    assertThat(line.get("TaskDuration").getLongValue()).isEqualTo(90_000);
    assertThat(line.get("TaskRetries").getIntValue()).isEqualTo(2);
    assertThat(line.get("_aws").get("CloudWatchMetrics").size()).isEqualTo(1);
  }

  @Test
  void emfLine_ofFailedTask_countsTheFailureByStepAndErrorType() throws Exception {
    JsonNode line =
        line(
            task(
                TaskStatus.FAILED,
                0,
                new TaskError("analyze", "RateLimitedException", "429"),
                Duration.ofSeconds(5)));

    assertValidEmf(line);
    assertThat(line.get("TasksFailed").getIntValue()).isEqualTo(1);
    assertThat(line.get("TaskDuration")).as("durations are of succeeded tasks").isNull();
    assertThat(line.get("Step").getStringValue()).isEqualTo("analyze");
    assertThat(line.get("ErrorType").getStringValue()).isEqualTo("RateLimitedException");
    JsonNode byStep = line.get("_aws").get("CloudWatchMetrics").get(1);
    assertThat(byStep.get("Dimensions").get(0).values())
        .extracting(JsonNode::getStringValue)
        .containsExactly("Service", "Step", "ErrorType");
  }

  @Test
  void emfLine_ofRejectedTask_countsARejection_notAFailure() throws Exception {
    JsonNode line =
        line(
            task(
                TaskStatus.REJECTED,
                0,
                new TaskError("review", "Stepwise.ReviewRejected", "rejected: off topic"),
                Duration.ofMinutes(5)));

    assertValidEmf(line);
    assertThat(line.get("TasksRejected").getIntValue()).isEqualTo(1);
    assertThat(line.get("TasksFailed").getIntValue()).isZero();
    assertThat(line.get("TaskDuration")).as("durations are of succeeded tasks").isNull();
  }

  @Test
  void percentile_isNearestRank() {
    List<Long> values = new ArrayList<>();
    for (long i = 1; i <= 10; i++) {
      values.add(i * 100);
    }
    assertThat(MetricsService.percentile(values, 50)).isEqualTo(500);
    assertThat(MetricsService.percentile(values, 90)).isEqualTo(900);
    assertThat(MetricsService.percentile(List.of(42L), 90)).isEqualTo(42);
    assertThat(MetricsService.percentile(List.of(), 50)).isNull();
  }

  @Test
  void windows_acceptMinutesHoursDaysUpTo30Days() {
    assertThat(Windows.parse("30m")).contains(Duration.ofMinutes(30));
    assertThat(Windows.parse("24h")).contains(Duration.ofHours(24));
    assertThat(Windows.parse("30d")).contains(Duration.ofDays(30));
    for (String bad : new String[] {"31d", "0m", "h", "24", "1w", "", " 1h"}) {
      assertThat(Windows.parse(bad)).as(bad).isEmpty();
    }
  }
}
