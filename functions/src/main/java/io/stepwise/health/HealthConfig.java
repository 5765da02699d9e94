package io.stepwise.health;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * How models are checked and routed ({@code stepwise.health.*}; defaults in
 * application.properties).
 *
 * @param interval how often the scheduled check runs (EventBridge {@code rate(1 minute)}; the local
 *     runtime's timer)
 * @param probeTimeout a probe that has not answered by then counts as a {@code timeout} failure
 * @param minGap a model is probed at most once per gap, whoever asks (schedule, {@code POST
 *     .../check}, another instance): what keeps the manual check from burning provider quota
 * @param slowThreshold a successful probe slower than this makes the model {@code degraded}
 * @param unhealthyAfter consecutive failures that make a model {@code unhealthy}
 * @param emaAlpha weight of the newest latency in the moving average
 * @param successWindow how many recent checks the success rate counts
 * @param historyRetention how long history items live (DynamoDB TTL)
 * @param historyLimit history entries shown by {@code GET /api/models/health/{name}}
 * @param cooldown how long a model that failed during a task is skipped (a Retry-After replaces it)
 * @param maxCooldown the longest cooldown, however long a Retry-After asks for
 * @param costReference USD per 1K tokens at which cost halves a model's score
 */
@ConfigurationProperties("stepwise.health")
public record HealthConfig(
    @NotNull Duration interval,
    @NotNull Duration probeTimeout,
    @NotNull Duration minGap,
    @NotNull Duration slowThreshold,
    @Min(1) int unhealthyAfter,
    @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double emaAlpha,
    @Min(1) int successWindow,
    @NotNull Duration historyRetention,
    @Min(1) int historyLimit,
    @NotNull Duration cooldown,
    @NotNull Duration maxCooldown,
    @DecimalMin(value = "0", inclusive = false) double costReference) {}
