package io.stepwise.infra;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * What an operator is told about: failed executions (of each pipeline's state machine), a failing
 * health check, server errors of the API. Each alarm notifies the alarm topic when it fires and
 * when it clears; the {@code alarmEmail} context subscribes addresses to it, any other subscriber
 * (chat, paging) can be added to the topic's ARN (output {@code AlarmTopicArn}).
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

  private void alarm(String id, IMetric metric, int threshold, String description) {
    Alarm alarm =
        Alarm.Builder.create(this, id)
            .metric(metric)
            .threshold(threshold)
            .evaluationPeriods(1)
            .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
            .treatMissingData(TreatMissingData.NOT_BREACHING)
            .alarmDescription(description)
            .build();
    alarm.addAlarmAction(new SnsAction(topic));
    alarm.addOkAction(new SnsAction(topic));
  }
}
