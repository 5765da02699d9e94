package io.stepwise.pipelines.digest;

import io.micronaut.context.ApplicationContext;
import io.stepwise.steps.StepFunction;

/** Lambda handler of the paper digest's {@code render_images} step. */
public class RenderImagesFunction extends StepFunction {

  public RenderImagesFunction() {
    super(PaperDigest.NAME, PaperDigest.RENDER_IMAGES);
  }

  public RenderImagesFunction(ApplicationContext context) {
    super(context, PaperDigest.NAME, PaperDigest.RENDER_IMAGES);
  }
}
