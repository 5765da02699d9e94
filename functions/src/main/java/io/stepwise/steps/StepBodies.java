package io.stepwise.steps;

import io.micronaut.context.BeanContext;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.stepwise.steps.errors.TerminalStepException;
import jakarta.inject.Singleton;

/**
 * The step body bean of a step: the one {@code @Named} with the step's wire name. Only the asked-for body is
 * created, so a step function builds (and SnapStart snapshots) its own body's clients, fonts and publishers and
 * none of the other four steps'.
 */
@Singleton
public class StepBodies {

  private final BeanContext beans;

  public StepBodies(BeanContext beans) {
    this.beans = beans;
  }

  /**
   * The body of {@code step}; one that fails every run terminally when none is deployed.
   *
   * @throws IllegalStateException when the bean named for this step runs another step (a wiring mistake)
   */
  public StepBody body(StepName step) {
    StepBody body = beans.findBean(StepBody.class, Qualifiers.byName(step.wire())).orElse(null);
    if (body == null) {
      return missing(step);
    }
    if (body.step() != step) {
      throw new IllegalStateException(
          "the step body named " + step.wire() + " (" + body.getClass().getName() + ") runs step " + body.step().wire());
    }
    return body;
  }

  private static StepBody missing(StepName step) {
    return new StepBody() {
      @Override
      public StepName step() {
        return step;
      }

      @Override
      public Object run(StepContext context) {
        throw new TerminalStepException("no implementation of step " + step.wire() + " is deployed");
      }
    };
  }
}
