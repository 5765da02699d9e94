package io.stepwise.steps;

import io.stepwise.steps.errors.TerminalStepException;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The step body bean for each step; exactly one per step may exist. */
@Singleton
public class StepBodies {

  private final Map<StepName, StepBody> bodies = new EnumMap<>(StepName.class);

  public StepBodies(List<StepBody> all) {
    for (StepBody body : all) {
      StepBody clash = bodies.put(body.step(), body);
      if (clash != null) {
        throw new IllegalStateException(
            "two bodies for step " + body.step().wire() + ": " + clash.getClass() + " and " + body.getClass());
      }
    }
  }

  public StepBody body(StepName step) {
    StepBody body = bodies.get(step);
    if (body == null) {
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
    return body;
  }
}
