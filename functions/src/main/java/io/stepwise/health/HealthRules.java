package io.stepwise.health;

import java.time.Instant;

/**
 * The status rules, a pure function of the previous state and a new probe (so they are unit-tested
 * in sequences without any server):
 *
 * <ul>
 *   <li>an auth, billing or missing-key error → {@code unhealthy} at once (waiting does not fix a
 *       wrong key, an empty account or a key nobody set);
 *   <li>{@code unhealthyAfter} consecutive failures → {@code unhealthy}; fewer → {@code degraded};
 *   <li>a success → {@code healthy}, or {@code degraded} when slower than {@code slowThreshold};
 *       one success ends an unhealthy spell (recovery), and resets the consecutive failures.
 * </ul>
 *
 * Latency EMA counts successful probes only (a timeout's latency is the timeout, not the model's
 * speed); the success rate counts the last {@code successWindow} probes. A cooldown set by the
 * router is kept.
 */
public final class HealthRules {

  private final HealthConfig config;

  public HealthRules(HealthConfig config) {
    this.config = config;
  }

  public ModelHealth next(ModelHealth previous, ProbeResult probe, Instant checkedAt) {
    int failures = probe.ok() ? 0 : previous.consecutiveFailures() + 1;
    HealthStatus status;
    if (probe.ok()) {
      status =
          probe.latencyMs() > config.slowThreshold().toMillis()
              ? HealthStatus.DEGRADED
              : HealthStatus.HEALTHY;
    } else if (probe.accountError() || failures >= config.unhealthyAfter()) {
      status = HealthStatus.UNHEALTHY;
    } else {
      status = HealthStatus.DEGRADED;
    }
    Long ema = previous.emaLatencyMs();
    if (probe.ok()) {
      ema =
          ema == null
              ? probe.latencyMs()
              : Math.round(config.emaAlpha() * probe.latencyMs() + (1 - config.emaAlpha()) * ema);
    }
    String recent = previous.recent() + (probe.ok() ? "1" : "0");
    if (recent.length() > config.successWindow()) {
      recent = recent.substring(recent.length() - config.successWindow());
    }
    double successRate = (double) recent.chars().filter(c -> c == '1').count() / recent.length();
    // A failed probe says nothing about the quota; keep the last known figures rather than blanking
    // them.
    Long quotaRemaining =
        probe.quotaRemaining() != null || probe.ok()
            ? probe.quotaRemaining()
            : previous.quotaRemaining();
    Long quotaLimit =
        probe.quotaLimit() != null || probe.ok() ? probe.quotaLimit() : previous.quotaLimit();
    return new ModelHealth(
        previous.name(),
        status,
        probe.latencyMs(),
        ema,
        successRate,
        failures,
        probe.errorCode(),
        probe.errorMessage(),
        quotaRemaining,
        quotaLimit,
        checkedAt,
        previous.cooldownUntil(),
        recent);
  }

  public HealthCheckRecord record(ModelHealth next, ProbeResult probe) {
    return new HealthCheckRecord(
        next.checkedAt(),
        next.status(),
        probe.ok(),
        probe.latencyMs(),
        probe.errorCode(),
        probe.errorMessage(),
        probe.quotaRemaining());
  }
}
