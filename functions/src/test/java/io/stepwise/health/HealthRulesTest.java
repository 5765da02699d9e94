package io.stepwise.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class HealthRulesTest {

  static final HealthConfig CONFIG =
      new HealthConfig(
          Duration.ofSeconds(60),
          Duration.ofSeconds(5),
          Duration.ofSeconds(10),
          Duration.ofSeconds(2),
          3,
          0.5,
          4,
          Duration.ofHours(24),
          20,
          Duration.ofSeconds(60),
          Duration.ofMinutes(15),
          0.01);

  final HealthRules rules = new HealthRules(CONFIG);
  Instant at = Instant.parse("2026-11-23T06:00:00Z");

  private ModelHealth apply(ModelHealth h, ProbeResult p) {
    at = at.plusSeconds(60);
    return rules.next(h, p, at);
  }

  private static ProbeResult ok(long ms) {
    return ProbeResult.success(ms, 499L, 500L);
  }

  private static ProbeResult fail(String code) {
    return ProbeResult.failure(100, code, "x");
  }

  @Test
  void sequence_healthyThenSlowThenFailingThenUnhealthyThenRecovers() {
    ModelHealth h = ModelHealth.unknown("m");
    assertThat(h.status()).isEqualTo(HealthStatus.UNKNOWN);

    h = apply(h, ok(100));
    assertThat(h.status()).isEqualTo(HealthStatus.HEALTHY);
    h = apply(h, ok(3000));
    assertThat(h.status()).as("slower than the 2 s threshold").isEqualTo(HealthStatus.DEGRADED);
    h = apply(h, fail("http_503"));
    assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(h.consecutiveFailures()).isEqualTo(1);
    h = apply(h, fail("timeout"));
    assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
    h = apply(h, fail("timeout"));
    assertThat(h.status()).as("third failure in a row").isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(h.errorCode()).isEqualTo("timeout");
    h = apply(h, ok(120));
    assertThat(h.status()).as("one success recovers").isEqualTo(HealthStatus.HEALTHY);
    assertThat(h.consecutiveFailures()).isZero();
    assertThat(h.errorCode()).isNull();
  }

  @Test
  void authBillingOrMissingKey_isUnhealthyAtOnce() {
    assertThat(apply(ModelHealth.unknown("m"), fail("auth")).status())
        .isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(apply(ModelHealth.unknown("m"), fail("key_unavailable")).status())
        .as("no key set: waiting does not fix it")
        .isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(apply(apply(ModelHealth.unknown("m"), ok(10)), fail("billing")).status())
        .isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(apply(ModelHealth.unknown("m"), fail("rate_limited")).status())
        .isEqualTo(HealthStatus.DEGRADED);
  }

  @Test
  void ema_countsSuccessesOnly_andSuccessRateCountsTheWindow() {
    ModelHealth h = apply(ModelHealth.unknown("m"), ok(100));
    assertThat(h.emaLatencyMs()).isEqualTo(100);
    h = apply(h, ok(300));
    assertThat(h.emaLatencyMs()).as("alpha 0.5").isEqualTo(200);
    h = apply(h, fail("timeout"));
    assertThat(h.emaLatencyMs()).as("a timeout is not the model's speed").isEqualTo(200);
    assertThat(h.successRate()).isCloseTo(2 / 3.0, Offset.offset(1e-9));
    h = apply(apply(h, ok(200)), ok(200));
    assertThat(h.recent()).as("window of 4").isEqualTo("1011");
    assertThat(h.successRate()).isEqualTo(0.75);
  }

  @Test
  void failure_keepsLastKnownQuota_andTheRoutersCooldown() {
    Instant until = at.plusSeconds(3600);
    ModelHealth h = apply(ModelHealth.unknown("m"), ok(10)).withCooldown(until);
    assertThat(h.quotaRemaining()).isEqualTo(499);
    h = apply(h, fail("http_500"));
    assertThat(h.quotaRemaining()).isEqualTo(499);
    assertThat(h.quotaLimit()).isEqualTo(500);
    assertThat(h.cooldownUntil()).isEqualTo(until);
    h = apply(h, ProbeResult.failure(5, "rate_limited", "x").withQuota(0L, 500L));
    assertThat(h.quotaRemaining()).isZero();
  }
}
