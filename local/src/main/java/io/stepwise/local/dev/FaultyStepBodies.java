package io.stepwise.local.dev;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.stepwise.steps.StepBody;
import jakarta.inject.Singleton;

/**
 * Wraps every step body (local environment only) so that injected faults fire before the real body
 * runs.
 */
@Singleton
@Requires(env = "local")
public class FaultyStepBodies implements BeanCreatedEventListener<StepBody> {

  private final FaultInjector faults;

  public FaultyStepBodies(FaultInjector faults) {
    this.faults = faults;
  }

  @Override
  public StepBody onCreated(BeanCreatedEvent<StepBody> event) {
    StepBody real = event.getBean();
    return context -> {
      faults.maybeFail(context.step().name(), context.taskId());
      return real.run(context);
    };
  }
}
