package io.stepwise.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepwise.alerts.AlertConfig;
import io.stepwise.catalog.Handlers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Match;

/**
 * The alert rules on AWS: one alarm per rule on the functions' embedded metrics with the rules'
 * defaults, the model health changes routed from EventBridge to the alarm topic, and the grants
 * that takes (the health check puts events on the default bus and adds history items; the alerts
 * function reads the indexes, model health and its own items).
 */
class AlertAlarmsTest {

  private static SynthesizedStack synth;

  @BeforeAll
  static void synthesise() {
    synth = SynthesizedStack.defaults();
  }

  /** The stack's alarms by their metric name (the failure rate's by its expression). */
  private static Map<String, JsonNode> ruleAlarms() {
    Map<String, JsonNode> alarms = new HashMap<>();
    for (String id : synth.ofType("AWS::CloudWatch::Alarm")) {
      JsonNode p = synth.properties(id);
      if (p.path("Namespace").asText().equals("Stepwise")) {
        alarms.put(p.path("MetricName").asText(), p);
      } else if (p.has("Metrics")) {
        alarms.put("failure-rate", p);
      }
    }
    return alarms;
  }

  @Test
  void eachRule_hasAnAlarm_withItsDefaultThreshold() {
    Map<String, JsonNode> alarms = ruleAlarms();
    assertThat(alarms)
        .containsOnlyKeys(
            "failure-rate", "TaskDuration", "TasksStuck", "TasksPending", "ModelsUnhealthy");
    for (JsonNode alarm : alarms.values()) {
      assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
    }
    JsonNode slow = alarms.get("TaskDuration");
    assertThat(slow.path("Statistic").asText()).isEqualTo("Average");
    assertThat(slow.path("Period").asInt()).isEqualTo(15 * 60);
    assertThat(slow.path("Threshold").asDouble())
        .isEqualTo((double) AlertConfig.DEFAULT_SLOW_TASKS.toMillis());
    assertThat(slow.path("Dimensions").path(0).path("Value").asText()).isEqualTo("stepwise");
    assertThat(alarms.get("TasksPending").path("Threshold").asDouble())
        .isEqualTo((double) AlertConfig.DEFAULT_BACKLOG);
    assertThat(alarms.get("TasksStuck").path("Threshold").asDouble()).isZero();
    assertThat(alarms.get("ModelsUnhealthy").path("Threshold").asDouble()).isZero();

    JsonNode rate = alarms.get("failure-rate");
    assertThat(rate.path("Threshold").asDouble())
        .isEqualTo(AlertConfig.DEFAULT_FAILURE_RATE_PERCENT);
    String expression = "";
    Map<String, String> inputs = new HashMap<>();
    for (JsonNode m : rate.path("Metrics")) {
      if (m.has("Expression")) {
        expression = m.path("Expression").asText();
      } else {
        inputs.put(
            m.path("Id").asText(), m.path("MetricStat").path("Metric").path("MetricName").asText());
        assertThat(m.path("MetricStat").path("Period").asInt()).isEqualTo(15 * 60);
        assertThat(m.path("MetricStat").path("Stat").asText()).isEqualTo("Sum");
      }
    }
    assertThat(expression).isEqualTo("IF((s + f) >= 5, 100 * f / (s + f), 0)");
    assertThat(inputs).containsEntry("s", "TasksSucceeded").containsEntry("f", "TasksFailed");
  }

  @Test
  void modelHealthChanges_reachTheAlarmTopic() {
    List<String> topics = synth.ofType("AWS::SNS::Topic");
    synth.template.hasResourceProperties(
        "AWS::Events::Rule",
        Map.of(
            "EventPattern",
            Map.of("source", List.of("stepwise"), "detail-type", List.of("Model health changed")),
            "Targets",
            List.of(Match.objectLike(Map.of("Arn", Map.of("Ref", topics.get(0)))))));
    // EventBridge may publish to the topic (its policy names the service)
    synth.template.hasResourceProperties(
        "AWS::SNS::TopicPolicy",
        Match.objectLike(
            Map.of(
                "PolicyDocument",
                Map.of(
                    "Statement",
                    Match.arrayWith(
                        List.of(
                            Match.objectLike(
                                Map.of(
                                    "Action",
                                    "sns:Publish",
                                    "Principal",
                                    Map.of("Service", "events.amazonaws.com")))))))));
  }

  @Test
  void onlyTheHealthCheck_putsEvents_onTheDefaultBus_andKnowsIt() {
    for (var handler : synth.catalogue().functions()) {
      boolean puts = false;
      for (JsonNode s : synth.statementsOf(synth.roleOf(handler))) {
        if (SynthesizedStack.strings(s.path("Action")).contains("events:PutEvents")) {
          puts = true;
          assertThat(SynthesizedStack.render(s.path("Resource"))).endsWith(":event-bus/default");
        }
      }
      assertThat(puts)
          .as(handler.functionName())
          .isEqualTo(handler.functionName().equals(Handlers.HEALTH_CHECK));
      JsonNode variables =
          synth
              .properties(synth.function(handler))
              .path("Environment")
              .path("Variables")
              .path(StepwiseStack.EVENT_BUS_VARIABLE);
      assertThat(variables.isMissingNode())
          .as(handler.functionName())
          .isEqualTo(!handler.functionName().equals(Handlers.HEALTH_CHECK));
    }
  }

  @Test
  void theAlertsFunction_readsModelHealthInOneBatch_andWritesOnlyAlertItems() {
    List<String> batchGet = new java.util.ArrayList<>();
    for (JsonNode s : synth.statementsOf(synth.roleOf(synth.handler(Handlers.ALERTS)))) {
      List<String> actions = SynthesizedStack.strings(s.path("Action"));
      List<String> leading =
          SynthesizedStack.strings(
              s.path("Condition").path("ForAllValues:StringLike").path("dynamodb:LeadingKeys"));
      if (actions.contains("dynamodb:PutItem") || actions.contains("dynamodb:UpdateItem")) {
        assertThat(leading).containsExactly("ALERT#*");
      }
      if (actions.contains("dynamodb:BatchGetItem")) {
        batchGet.addAll(leading);
      }
    }
    assertThat(batchGet).containsExactly("MODEL#*");
  }

  @Test
  void alertEmail_subscribes_andAlarmEmailStillDoes() {
    App app = new App();
    app.getNode().setContext("alertEmail", "oncall@example.com");
    app.getNode().setContext("alarmEmail", "lead@example.com,oncall@example.com");
    assertThat(StackConfig.fromContext(app.getNode()).alarmEmails())
        .containsExactly("oncall@example.com", "lead@example.com");
  }
}
