package io.stepwise.steps;

import io.micronaut.context.ApplicationContext;

/** Lambda handler of the {@code render_images} step. */
public class RenderImagesFunction extends StepFunction {

  public RenderImagesFunction() {
    super(StepName.RENDER_IMAGES);
  }

  public RenderImagesFunction(ApplicationContext context) {
    super(context, StepName.RENDER_IMAGES);
  }
}
