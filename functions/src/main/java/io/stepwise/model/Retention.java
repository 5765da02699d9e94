package io.stepwise.model;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * How long state is kept: tasks 30 days, checkpoints 24 hours by default (the defaults operators
 * asked for). The same keys as the store's own settings ({@code stepwise.store}); the domain reads
 * only these two.
 */
@ConfigurationProperties("stepwise.store")
public record Retention(@NotNull Duration taskRetention, @NotNull Duration checkpointRetention) {}
