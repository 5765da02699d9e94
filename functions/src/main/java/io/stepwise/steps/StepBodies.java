package io.stepwise.steps;

import io.micronaut.context.BeanContext;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.stepwise.model.Pipeline;
import io.stepwise.model.Step;
import io.stepwise.steps.errors.TerminalStepException;
import jakarta.inject.Singleton;

/**
 * The step body bean of a pipeline's step: the one {@code @Named("<pipeline>/<step>")}. Only the
 * asked-for body is created, so a step function builds (and SnapStart snapshots) its own body's
 * clients, fonts and publishers and none of the other steps'.
 */
@Singleton
public class StepBodies {

  private final BeanContext beans;

  public StepBodies(BeanContext beans) {
    this.beans = beans;
  }

  /** The body of {@code step}; one that fails every run terminally when none is deployed. */
  public StepBody body(Pipeline pipeline, Step step) {
    return beans
        .findBean(
            StepBody.class, Qualifiers.byName(StepBody.beanName(pipeline.name(), step.name())))
        .orElse(
            context -> {
              throw new TerminalStepException(
                  "no implementation of step "
                      + step.name()
                      + " of pipeline "
                      + pipeline.name()
                      + " is deployed");
            });
  }
}
