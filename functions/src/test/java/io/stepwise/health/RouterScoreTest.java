package io.stepwise.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.stepwise.models.ModelSpec;
import io.stepwise.models.Provider;
import org.junit.jupiter.api.Test;

class RouterScoreTest {

  private static ModelSpec model(double weight, double cost) {
    return new ModelSpec(
        "m", Provider.OPENAI_COMPATIBLE, "http://x", "x", null, weight, cost, true);
  }

  private static ModelHealth health(HealthStatus status, double successRate, long emaMs) {
    return new ModelHealth(
        "m", status, emaMs, emaMs, successRate, 0, null, null, null, null, null, null, "1");
  }

  @Test
  void formula_multipliesWeightHealthSuccessLatencyAndCost() {
    assertThat(RouterScore.of(model(1, 0), health(HealthStatus.HEALTHY, 1, 0), 0.01))
        .isEqualTo(1.0);
    assertThat(RouterScore.of(model(1, 0), health(HealthStatus.HEALTHY, 1, 1000), 0.01))
        .as("1 s EMA halves")
        .isEqualTo(0.5);
    assertThat(RouterScore.of(model(1, 0.01), health(HealthStatus.HEALTHY, 1, 0), 0.01))
        .as("reference cost halves")
        .isEqualTo(0.5);
    assertThat(RouterScore.of(model(1, 0), health(HealthStatus.DEGRADED, 1, 0), 0.01))
        .isEqualTo(0.5);
    assertThat(RouterScore.of(model(3, 0), health(HealthStatus.HEALTHY, 0.5, 0), 0.01))
        .isEqualTo(1.5);
    assertThat(RouterScore.of(model(2, 0.005), health(HealthStatus.HEALTHY, 0.9, 250), 0.01))
        .isCloseTo(2 * 0.9 * (1 / 1.25) * (1 / 1.5), within(1e-12));
  }

  @Test
  void unhealthyOrUnknown_scoreZero() {
    assertThat(RouterScore.of(model(5, 0), health(HealthStatus.UNHEALTHY, 1, 0), 0.01)).isZero();
    assertThat(RouterScore.of(model(5, 0), ModelHealth.unknown("m"), 0.01)).isZero();
  }
}
