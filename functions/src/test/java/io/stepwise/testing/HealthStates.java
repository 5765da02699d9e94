package io.stepwise.testing;

import io.stepwise.health.HealthCheckRecord;
import io.stepwise.health.HealthStatus;
import io.stepwise.health.HealthStore;
import io.stepwise.health.ModelHealth;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Stores a model's latest health through the real store, as a sweep would have. */
public final class HealthStates {

  private HealthStates() {}

  public static void set(
      HealthStore store, String model, HealthStatus status, long emaLatencyMs, double successRate) {
    ModelHealth previous = store.latest(List.of(model)).get(model);
    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    boolean ok = status == HealthStatus.HEALTHY || status == HealthStatus.DEGRADED;
    ModelHealth next =
        new ModelHealth(
            model,
            status,
            emaLatencyMs,
            emaLatencyMs,
            successRate,
            status == HealthStatus.UNHEALTHY ? 3 : 0,
            ok ? null : "http_503",
            ok ? null : "HTTP 503",
            null,
            null,
            at,
            previous.cooldownUntil(),
            ok ? "1" : "000");
    if (!store.record(
        next,
        previous.checkedAt(),
        new HealthCheckRecord(
            at, status, ok, emaLatencyMs, next.errorCode(), next.errorMessage(), null))) {
      throw new IllegalStateException("health of " + model + " changed meanwhile");
    }
  }
}
