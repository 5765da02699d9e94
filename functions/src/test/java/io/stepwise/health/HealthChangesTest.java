package io.stepwise.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which status changes the health check tells its listeners of. */
class HealthChangesTest {

  @ParameterizedTest
  @CsvSource({
    "HEALTHY, DEGRADED, true",
    "DEGRADED, UNHEALTHY, true",
    "UNHEALTHY, HEALTHY, true",
    "HEALTHY, UNHEALTHY, true",
    "UNKNOWN, UNHEALTHY, true",
    "UNKNOWN, DEGRADED, true",
    "UNKNOWN, HEALTHY, false",
    "HEALTHY, HEALTHY, false",
    "UNHEALTHY, UNHEALTHY, false"
  })
  void aChange_isADifferentStatus_butNotAFirstHealthyOne(
      HealthStatus before, HealthStatus after, boolean told) {
    assertThat(HealthChanges.isChange(before, after)).isEqualTo(told);
  }
}
