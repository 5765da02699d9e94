package io.stepwise.batches;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Batch limits. {@code maxTasks} bounds one request (the API answers 413 beyond it); {@code startConcurrency}
 * bounds how many StartExecution calls are in flight at once, well under Step Functions' StartExecution bucket
 * (burst ~100, refill a few per second), with throttled starts backing off per {@code stepwise.starts}.
 */
@ConfigurationProperties("stepwise.batches")
public record BatchConfig(
    @Bindable(defaultValue = "500") @Min(1) @Max(5000) int maxTasks,
    @Bindable(defaultValue = "4") @Min(1) @Max(32) int startConcurrency) {}
