package io.stepwise.batches;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * Batch limits. {@code maxTasks} bounds one request (the API answers 413 beyond it); {@code
 * startConcurrency} bounds how many StartExecution calls are in flight at once, well under Step
 * Functions' StartExecution bucket (burst ~100, refill a few per second), with throttled starts
 * backing off per {@code stepwise.starts}. A task still pending {@code strandedAfter} its creation
 * was left unstarted by an api invocation that ended mid-batch (the api function times out after 29
 * s); retry-failed starts it. {@code maxRunningPerBatch} is a batch's {@code maxRunning} when its
 * request gives none; {@code maxRunning} caps the running tasks of all batches together (and is the
 * largest {@code maxRunning} a request may ask for).
 */
@ConfigurationProperties("stepwise.batches")
public record BatchConfig(
    @Bindable(defaultValue = "500") @Min(1) @Max(5000) int maxTasks,
    @Bindable(defaultValue = "4") @Min(1) @Max(32) int startConcurrency,
    @Bindable(defaultValue = "1m") Duration strandedAfter,
    @Bindable(defaultValue = "10") @Min(1) @Max(500) int maxRunningPerBatch,
    @Bindable(defaultValue = "50") @Min(1) @Max(500) int maxRunning) {}
