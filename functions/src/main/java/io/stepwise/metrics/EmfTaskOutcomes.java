package io.stepwise.metrics;

import io.micronaut.json.JsonMapper;
import io.stepwise.logging.LambdaLogConfigurator;
import io.stepwise.model.Task;
import io.stepwise.model.TaskStatus;
import io.stepwise.tasks.TaskOutcomes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CloudWatch embedded-metric-format (EMF) line per finished task, on the {@code
 * stepwise.metrics} logger (logged as the bare JSON line, which is what CloudWatch Logs extracts
 * metrics from). A hand-written writer: the format is one small JSON object, and Powertools metrics
 * would add an AspectJ/SDK dependency to every function for it.
 *
 * <p>Namespace {@code Stepwise}, dimension {@code Service=stepwise}: {@code TasksSucceeded}, {@code
 * TasksFailed}, {@code TasksCancelled} (Count), {@code TaskDuration} (Milliseconds, succeeded
 * tasks; CloudWatch's p50/p90 statistics give the percentiles), {@code TaskRetries} (Count, its
 * distribution); and {@code TaskFailures} (Count) by {@code Step} and {@code ErrorType}. The
 * success rate is the metric math {@code TasksSucceeded / (TasksSucceeded + TasksFailed)}: the same
 * figures {@code GET /api/metrics} shows.
 */
@Singleton
public class EmfTaskOutcomes implements TaskOutcomes {

  static final String NAMESPACE = "Stepwise";
  private static final Logger EMF = LoggerFactory.getLogger(LambdaLogConfigurator.METRICS_LOGGER);
  private static final Logger LOG = LoggerFactory.getLogger(EmfTaskOutcomes.class);

  private final JsonMapper json;
  private final Clock clock;

  public EmfTaskOutcomes(JsonMapper json, Clock clock) {
    this.json = json;
    this.clock = clock;
  }

  @Override
  public void finished(Task task) {
    try {
      EMF.info(json.writeValueAsString(line(task)));
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "metric line for task {} not written: {}",
          task.taskId(),
          e.toString()); // never fail the state change
    }
  }

  Map<String, Object> line(Task task) {
    TaskStatus status = task.status();
    List<Map<String, String>> metrics =
        new ArrayList<>(
            List.of(
                metric("TasksSucceeded", "Count"),
                metric("TasksFailed", "Count"),
                metric("TasksCancelled", "Count"),
                metric("TasksRejected", "Count"),
                metric("TaskRetries", "Count")));
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("Service", "stepwise");
    root.put("TasksSucceeded", status == TaskStatus.SUCCEEDED ? 1 : 0);
    root.put("TasksFailed", status == TaskStatus.FAILED ? 1 : 0);
    root.put("TasksCancelled", status == TaskStatus.CANCELLED ? 1 : 0);
    root.put("TasksRejected", status == TaskStatus.REJECTED ? 1 : 0);
    root.put("TaskRetries", task.retryCount());
    List<Map<String, Object>> directives = new ArrayList<>();
    if (status == TaskStatus.SUCCEEDED) {
      metrics.add(metric("TaskDuration", "Milliseconds"));
      root.put("TaskDuration", Duration.between(task.createdAt(), task.updatedAt()).toMillis());
    }
    directives.add(directive(List.of("Service"), metrics));
    if (status == TaskStatus.FAILED) {
      root.put(
          "Step",
          task.failedStep() != null
              ? task.failedStep()
              : task.error() != null && task.error().step() != null
                  ? task.error().step()
                  : "unknown");
      root.put("ErrorType", task.error() == null ? "Unknown" : task.error().type());
      root.put("TaskFailures", 1);
      directives.add(
          directive(
              List.of("Service", "Step", "ErrorType"), List.of(metric("TaskFailures", "Count"))));
    }
    // properties, not metrics: let Logs Insights find the task behind a data point
    root.put("taskId", task.taskId());
    root.put("pipeline", task.pipeline());
    root.put("status", status.wire());
    Map<String, Object> aws = new LinkedHashMap<>();
    aws.put("Timestamp", clock.millis());
    aws.put("CloudWatchMetrics", directives);
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("_aws", aws);
    line.putAll(root);
    return line;
  }

  private static Map<String, Object> directive(
      List<String> dimensions, List<Map<String, String>> metrics) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("Namespace", NAMESPACE);
    d.put("Dimensions", List.of(dimensions));
    d.put("Metrics", metrics);
    return d;
  }

  private static Map<String, String> metric(String name, String unit) {
    return Map.of("Name", name, "Unit", unit);
  }
}
