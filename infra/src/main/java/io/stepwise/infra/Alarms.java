package io.stepwise.infra;

import io.stepwise.alerts.AlertConfig;
import io.stepwise.alerts.EventBridgeHealthChanges;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.SnsTopic;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * What an operator is told about: failed executions (of each pipeline's state machine), a failing
 * health check, server errors of the API, the alert rules (docs/operations.md, "Alerts") on the
 * functions' embedded metrics, and every model health change (an EventBridge rule on the health
 * check's events). Each alarm notifies the alarm topic when it fires and when it clears; the {@code
 * alertEmail} context (or its older name {@code alarmEmail}) subscribes addresses to it, any other
 * subscriber (chat, paging) can be added to the topic's ARN (output {@code AlarmTopicArn}).
 *
 * <p>The rule alarms use the rules' defaults ({@link AlertConfig}); the alerts function evaluates
 * the configured values. The failure rate is metric math over the task outcomes, as {@code GET
 * /api/metrics} computes the success rate.
 */
final class Alarms extends Construct {

  private static final MetricOptions FIVE_MINUTE_SUM =
      MetricOptions.builder().period(Duration.minutes(5)).statistic("Sum").build();

  private final Topic topic;

  Alarms(
      Construct scope,
      List<Workflow> workflows,
      StepwiseFunction healthCheck,
      Api api,
      List<String> emails) {
    super(scope, "Alarms");
    // Not encrypted with the AWS-managed SNS key: CloudWatch alarms cannot publish to a topic under
    // that key.
    this.topic =
        Topic.Builder.create(this, "Topic").displayName("Stepwise alarms").enforceSsl(true).build();
    emails.forEach(email -> topic.addSubscription(new EmailSubscription(email)));
    for (Workflow workflow : workflows) {
      String pipeline = workflow.pipeline().name();
      // The first pipeline's alarm keeps its id, as its state machine does
      // (Workflow.FIRST_PIPELINE).
      String id =
          Workflow.FIRST_PIPELINE.equals(pipeline)
              ? "ExecutionsFailed"
              : "ExecutionsFailed-" + pipeline;
      alarm(
          id,
          workflow.stateMachine().metricFailed(FIVE_MINUTE_SUM),
          1,
          "A task's execution of pipeline "
              + pipeline
              + " failed: GET /api/tasks?status=failed, then retry or redrive.");
    }
    // Three failed sweeps in five minutes, not one: a single timeout of a slow provider is not
    // news.
    alarm(
        "HealthCheckErrors",
        healthCheck.function().metricErrors(FIVE_MINUTE_SUM),
        3,
        "The health-check function itself is failing (not a model being unhealthy).");
    ruleAlarms();
    modelHealthChanges();
    if (api != null) {
      alarm(
          "Api5xx",
          api.httpApi().metricServerError(FIVE_MINUTE_SUM),
          5,
          "The HTTP API answered 5xx: see the api function's logs.");
    }
  }

  Topic topic() {
    return topic;
  }

  /** The alert rules' alarms, named after the rules. */
  private void ruleAlarms() {
    Duration window = Duration.minutes(AlertConfig.DEFAULT_WINDOW.toMinutes());
    IMetric failureRate =
        MathExpression.Builder.create()
            .expression(
                "IF((s + f) >= " + AlertConfig.DEFAULT_MIN_TASKS + ", 100 * f / (s + f), 0)")
            .usingMetrics(
                Map.of(
                    "s", stepwise("TasksSucceeded", "Sum", window),
                    "f", stepwise("TasksFailed", "Sum", window)))
            .label("failure rate (%)")
            .period(window)
            .build();
    alarm(
        "AlertFailureRate",
        failureRate,
        AlertConfig.DEFAULT_FAILURE_RATE_PERCENT,
        ComparisonOperator.GREATER_THAN_THRESHOLD,
        "failure-rate: more than 10 % of the tasks that finished in 15 min failed (at least 5"
            + " finished): GET /api/metrics?window=15m, then GET /api/tasks?status=failed.");
    alarm(
        "AlertSlowTasks",
        stepwise("TaskDuration", "Average", window),
        AlertConfig.DEFAULT_SLOW_TASKS.toMillis(),
        ComparisonOperator.GREATER_THAN_THRESHOLD,
        "slow-tasks: the tasks that succeeded in 15 min took more than 2 min on average.");
    Duration gauge = Duration.minutes(5);
    alarm(
        "AlertStuckTasks",
        stepwise("TasksStuck", "Maximum", gauge),
        0,
        ComparisonOperator.GREATER_THAN_THRESHOLD,
        "stuck-tasks: a running task has made no step progress for 10 min: GET"
            + " /api/tasks?status=running.");
    alarm(
        "AlertBacklog",
        stepwise("TasksPending", "Maximum", gauge),
        AlertConfig.DEFAULT_BACKLOG,
        ComparisonOperator.GREATER_THAN_THRESHOLD,
        "backlog: more than 50 tasks are pending.");
    alarm(
        "AlertModelHealth",
        stepwise("ModelsUnhealthy", "Maximum", gauge),
        0,
        ComparisonOperator.GREATER_THAN_THRESHOLD,
        "model-health: a model is unhealthy: GET /api/models/health.");
  }

  /** Every "Model health changed" event of the health check, to the topic as it is. */
  private void modelHealthChanges() {
    Rule.Builder.create(this, "ModelHealthChanged")
        .description("A model's health status changed (the health-check function's events)")
        .eventPattern(
            EventPattern.builder()
                .source(List.of(EventBridgeHealthChanges.SOURCE))
                .detailType(List.of(EventBridgeHealthChanges.DETAIL_TYPE))
                .build())
        .targets(List.of(new SnsTopic(topic)))
        .build();
  }

  /** A metric of the functions' embedded-metric lines (namespace Stepwise, Service=stepwise). */
  private static IMetric stepwise(String name, String statistic, Duration period) {
    return Metric.Builder.create()
        .namespace("Stepwise")
        .metricName(name)
        .dimensionsMap(Map.of("Service", "stepwise"))
        .statistic(statistic)
        .period(period)
        .build();
  }

  private void alarm(String id, IMetric metric, int threshold, String description) {
    alarm(
        id, metric, threshold, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, description);
  }

  private void alarm(
      String id,
      IMetric metric,
      double threshold,
      ComparisonOperator comparison,
      String description) {
    Alarm alarm =
        Alarm.Builder.create(this, id)
            .metric(metric)
            .threshold(threshold)
            .evaluationPeriods(1)
            .comparisonOperator(comparison)
            .treatMissingData(TreatMissingData.NOT_BREACHING)
            .alarmDescription(description)
            .build();
    alarm.addAlarmAction(new SnsAction(topic));
    alarm.addOkAction(new SnsAction(topic));
  }
}
