package io.stepwise.lifecycle;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.annotation.Nullable;
import io.stepwise.lambda.JsonFunction;
import io.stepwise.lambda.ScheduledEvent;

/**
 * Lambda handler of {@code reconciler}, the target of an EventBridge schedule ({@code rate(5
 * minutes)}): one {@link Reconciler} sweep. A second delivery of the same event sweeps again and
 * changes nothing.
 */
public class ReconcilerFunction extends JsonFunction<ScheduledEvent, Reconciler.Report> {

  private final Reconciler reconciler;

  public ReconcilerFunction() {
    super(ScheduledEvent.class);
    this.reconciler = bean(Reconciler.class);
  }

  public ReconcilerFunction(ApplicationContext context) {
    super(context, ScheduledEvent.class);
    this.reconciler = bean(Reconciler.class);
  }

  @Override
  public Reconciler.Report handle(@Nullable ScheduledEvent event) {
    return reconciler.sweep();
  }
}
