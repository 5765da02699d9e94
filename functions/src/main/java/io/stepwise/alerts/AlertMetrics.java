package io.stepwise.alerts;

import io.micronaut.json.JsonMapper;
import io.stepwise.logging.LambdaLogConfigurator;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauges the AWS alarms need that no task outcome gives, written once per evaluation as one
 * CloudWatch embedded-metric line (namespace {@code Stepwise}, dimension {@code Service=stepwise},
 * like the task outcomes): {@code TasksPending}, {@code TasksStuck} and {@code ModelsUnhealthy}
 * (Count). The failure-rate and slow-task alarms use the task outcomes' {@code TasksFailed}, {@code
 * TasksSucceeded} and {@code TaskDuration}.
 */
@Singleton
public class AlertMetrics {

  static final String NAMESPACE = "Stepwise";
  static final Map<AlertRule, String> GAUGES =
      Map.of(
          AlertRule.BACKLOG, "TasksPending",
          AlertRule.STUCK_TASKS, "TasksStuck",
          AlertRule.MODEL_HEALTH, "ModelsUnhealthy");

  private static final Logger EMF = LoggerFactory.getLogger(LambdaLogConfigurator.METRICS_LOGGER);
  private static final Logger LOG = LoggerFactory.getLogger(AlertMetrics.class);

  private final JsonMapper json;

  public AlertMetrics(JsonMapper json) {
    this.json = json;
  }

  public void emit(List<Reading> readings, Instant at) {
    try {
      EMF.info(json.writeValueAsString(line(readings, at)));
    } catch (IOException | RuntimeException e) {
      LOG.warn("alert metric line not written: {}", e.toString()); // never fail the evaluation
    }
  }

  Map<String, Object> line(List<Reading> readings, Instant at) {
    List<Map<String, String>> metrics = new java.util.ArrayList<>();
    Map<String, Object> values = new LinkedHashMap<>();
    for (Reading r : readings) {
      String name = GAUGES.get(r.rule());
      if (name != null && r.value() != null) {
        metrics.add(Map.of("Name", name, "Unit", "Count"));
        values.put(name, r.value().longValue());
      }
    }
    Map<String, Object> directive = new LinkedHashMap<>();
    directive.put("Namespace", NAMESPACE);
    directive.put("Dimensions", List.of(List.of("Service")));
    directive.put("Metrics", metrics);
    Map<String, Object> aws = new LinkedHashMap<>();
    aws.put("Timestamp", at.toEpochMilli());
    aws.put("CloudWatchMetrics", List.of(directive));
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("_aws", aws);
    line.put("Service", "stepwise");
    line.putAll(values);
    return line;
  }
}
