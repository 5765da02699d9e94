package io.stepwise.testing;

import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;

/**
 * The integration harness with the paper digest as the pipeline under test and its step bodies
 * scriptable ({@link ScriptedSteps}): the platform's behaviour seen through a real five-step
 * pipeline.
 */
public abstract class DigestServicesBase extends LocalServicesBase {

  @Inject protected ScriptedSteps steps;

  @Override
  protected String pipeline() {
    return "paper-digest";
  }

  @BeforeEach
  void resetScriptedSteps() {
    steps.reset();
  }
}
