package io.stepwise.store;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Where state lives and for how long. Defaults: tasks 30 days, checkpoints 24 hours (the defaults
 * operators asked for). Outputs are gzipped above {@code gzipThresholdBytes} and moved to the blob
 * store above {@code inlineLimitBytes}, well under DynamoDB's 400 KB item limit.
 */
@ConfigurationProperties("stepwise.store")
public record StoreConfig(
    @NotBlank String tableName,
    @NotNull Duration taskRetention,
    @NotNull Duration checkpointRetention,
    int gzipThresholdBytes,
    int inlineLimitBytes) {}
