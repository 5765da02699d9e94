package io.stepwise.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StartPacingTest {

  private final StartPacing pacing =
      new StartPacing(6, Duration.ofMillis(200), Duration.ofSeconds(5));

  @ParameterizedTest(name = "after {0} throttled tries: at most {1} ms")
  @CsvSource({"1, 200", "2, 400", "3, 800", "5, 3200", "6, 5000", "30, 5000"})
  void delayAfter_isFullJitterUpToTheDoublingCeiling_cappedAtMaxDelay(int attempt, long ceilingMs) {
    long longest = 0;
    for (int i = 0; i < 2_000; i++) {
      Duration delay = pacing.delayAfter(attempt);
      assertThat(delay).isBetween(Duration.ZERO, Duration.ofMillis(ceilingMs));
      longest = Math.max(longest, delay.toMillis());
    }
    assertThat(longest)
        .as("spread over the whole range, not a fixed pause")
        .isGreaterThan(ceilingMs / 2);
  }
}
