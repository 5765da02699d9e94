package io.stepwise.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * How rule windows are labelled in {@code GET /api/alerts}: as the metrics' windows are written.
 */
class AlertConfigTest {

  @Test
  void windows_areLabelledInTheLargestWholeUnit() {
    assertThat(AlertConfig.label(Duration.ofMinutes(15))).isEqualTo("15m");
    assertThat(AlertConfig.label(Duration.ofMinutes(120))).isEqualTo("2h");
    assertThat(AlertConfig.label(Duration.ofDays(1))).isEqualTo("1d");
    assertThat(AlertConfig.label(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(AlertConfig.label(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }
}
