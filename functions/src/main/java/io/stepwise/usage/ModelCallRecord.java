package io.stepwise.usage;

import io.micronaut.core.annotation.Nullable;
import io.stepwise.model.Usage;
import java.time.Instant;

/**
 * One model call for the usage statistics: which model, for which pipeline ({@link
 * UsageScope#NO_PIPELINE} outside a step), when, how long it took, and either its usage (answered)
 * or the kind of its failure (the step error type it raised).
 */
public record ModelCallRecord(
    String model,
    String pipeline,
    Instant at,
    long latencyMs,
    @Nullable Usage usage,
    @Nullable String failureKind) {

  public boolean success() {
    return failureKind == null;
  }
}
