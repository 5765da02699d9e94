package io.stepwise.alerts;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.annotation.Nullable;
import io.stepwise.lambda.JsonFunction;
import io.stepwise.lambda.ScheduledEvent;

/**
 * Lambda handler of {@code alerts}, the target of an EventBridge schedule ({@code rate(1 minute)};
 * the local runtime runs it on {@code stepwise.alerts.interval}): one {@link AlertEvaluator} pass.
 * A second delivery of the same event evaluates again and stores no second transition.
 */
public class AlertsFunction extends JsonFunction<ScheduledEvent, AlertEvaluator.Report> {

  private final AlertEvaluator evaluator;

  public AlertsFunction() {
    super(ScheduledEvent.class);
    this.evaluator = bean(AlertEvaluator.class);
  }

  public AlertsFunction(ApplicationContext context) {
    super(context, ScheduledEvent.class);
    this.evaluator = bean(AlertEvaluator.class);
  }

  @Override
  public AlertEvaluator.Report handle(@Nullable ScheduledEvent event) {
    return evaluator.evaluate();
  }
}
