package io.stepwise.infra;

import io.stepwise.catalog.Handler;
import io.stepwise.catalog.Handlers;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/**
 * EventBridge: a schedule for each scheduled function of the catalogue, and the execution status
 * changes of every pipeline's state machine to each execution-events function.
 */
final class Triggers extends Construct {

  static final String HEALTH_SCHEDULE = "rate(1 minute)";
  static final String RECONCILER_SCHEDULE = "rate(5 minutes)";
  static final String ALERTS_SCHEDULE = "rate(1 minute)";

  /**
   * RUNNING too: a console redrive flips the task back to running before its final status arrives.
   */
  static final List<String> EXECUTION_STATUSES =
      List.of("FAILED", "TIMED_OUT", "ABORTED", "SUCCEEDED", "RUNNING");

  /** How often a scheduled function runs and how its missed runs are handled. */
  record ScheduleRule(String expression, int retries, Duration maxEventAge) {}

  /**
   * The catalogue says a function is scheduled, not how often: that is here, by function name. A
   * scheduled function with no entry stops synthesis.
   */
  static final Map<String, ScheduleRule> SCHEDULES =
      Map.of(
          // A missed sweep is superseded by the next one a minute later: no retries piling up.
          Handlers.HEALTH_CHECK, new ScheduleRule(HEALTH_SCHEDULE, 0, Duration.minutes(1)),
          // Lost status events are repaired within minutes; a missed sweep is redone by the next
          // one.
          Handlers.RECONCILER, new ScheduleRule(RECONCILER_SCHEDULE, 0, Duration.minutes(5)),
          // A missed evaluation is done by the next one a minute later.
          Handlers.ALERTS, new ScheduleRule(ALERTS_SCHEDULE, 0, Duration.minutes(1)));

  Triggers(
      Construct scope,
      List<Handler> handlers,
      List<StateMachine> stateMachines,
      Map<String, StepwiseFunction> functions) {
    super(scope, "Triggers");
    for (Handler handler : handlers) {
      StepwiseFunction function = functions.get(handler.functionName());
      switch (handler.trigger()) {
        case SCHEDULE -> {
          ScheduleRule schedule = SCHEDULES.get(handler.functionName());
          if (schedule == null) {
            throw new IllegalStateException(
                "the scheduled function "
                    + handler.functionName()
                    + " has no schedule in Triggers.SCHEDULES");
          }
          Rule.Builder.create(this, camelCase(handler.functionName()) + "Schedule")
              .schedule(Schedule.expression(schedule.expression()))
              .targets(List.of(target(function, schedule.retries(), schedule.maxEventAge())))
              .build();
        }
        case EXECUTION_EVENTS ->
            Rule.Builder.create(this, "ExecutionStatusChange")
                .eventPattern(
                    EventPattern.builder()
                        .source(List.of("aws.states"))
                        .detailType(List.of("Step Functions Execution Status Change"))
                        .detail(
                            Map.of(
                                "stateMachineArn",
                                stateMachines.stream()
                                    .map(StateMachine::getStateMachineArn)
                                    .toList(),
                                "status",
                                EXECUTION_STATUSES))
                        .build())
                // Task status must not miss an event: retry for up to a day (the handler is
                // idempotent per status).
                .targets(List.of(target(function, 185, Duration.hours(24))))
                .build();
        // The HTTP API and the state machines invoke their functions themselves.
        case HTTP_API, STATE_MACHINE -> {}
      }
    }
  }

  /** {@code health-check} → {@code HealthCheck}. */
  static String camelCase(String functionName) {
    StringBuilder id = new StringBuilder();
    for (String part : functionName.split("-")) {
      if (!part.isEmpty()) {
        id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return id.toString();
  }

  private static LambdaFunction target(StepwiseFunction function, int retries, Duration maxAge) {
    return LambdaFunction.Builder.create(function.alias())
        .retryAttempts(retries)
        .maxEventAge(maxAge)
        .build();
  }
}
