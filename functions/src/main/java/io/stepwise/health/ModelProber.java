package io.stepwise.health;

import io.stepwise.models.ModelSpec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Probes one model over its provider's protocol. */
public interface ModelProber {

  /**
   * Starts a probe and returns at once. The future always completes within {@code timeout} (plus
   * scheduling slack) and never exceptionally: failures are results with an error code.
   */
  CompletableFuture<ProbeResult> probe(ModelSpec model, Duration timeout);
}
