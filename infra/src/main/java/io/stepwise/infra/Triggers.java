package io.stepwise.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/** EventBridge: the health-check schedule and the execution status changes of this state machine. */
final class Triggers extends Construct {

  static final String HEALTH_SCHEDULE = "rate(1 minute)";
  /** RUNNING too: a console redrive flips the task back to running before its final status arrives. */
  static final List<String> EXECUTION_STATUSES = List.of("FAILED", "TIMED_OUT", "ABORTED", "SUCCEEDED", "RUNNING");

  Triggers(Construct scope, StateMachine stateMachine, Map<Handler, StepwiseFunction> functions) {
    super(scope, "Triggers");
    Rule.Builder.create(this, "HealthCheckSchedule")
        .schedule(Schedule.expression(HEALTH_SCHEDULE))
        // A missed sweep is superseded by the next one a minute later: no retries piling up.
        .targets(List.of(target(functions.get(Handler.HEALTH_CHECK), 0, Duration.minutes(1))))
        .build();
    Rule.Builder.create(this, "ExecutionStatusChange")
        .eventPattern(
            EventPattern.builder()
                .source(List.of("aws.states"))
                .detailType(List.of("Step Functions Execution Status Change"))
                .detail(
                    Map.of(
                        "stateMachineArn", List.of(stateMachine.getStateMachineArn()),
                        "status", EXECUTION_STATUSES))
                .build())
        // Task status must not miss an event: retry for up to a day (the handler is idempotent per status).
        .targets(List.of(target(functions.get(Handler.EXECUTION_EVENTS), 185, Duration.hours(24))))
        .build();
  }

  private static LambdaFunction target(StepwiseFunction function, int retries, Duration maxAge) {
    return LambdaFunction.Builder.create(function.alias()).retryAttempts(retries).maxEventAge(maxAge).build();
  }
}
