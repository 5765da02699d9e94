package io.stepwise.sfnlocal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Retry delays per the States Language: interval × rate^n, capped by MaxDelaySeconds, optionally
 * jittered.
 */
class RetryDelayTest {

  private final Interpreter interpreter =
      new Interpreter((f, p) -> "{}", 1.0, Executors.newSingleThreadExecutor(), e -> {});

  private static JsonNode retrier(String json) throws Exception {
    return Paths.JSON.readTree(json);
  }

  @Test
  void backoffGrowsByTheRate_andStopsAtMaxDelaySeconds() throws Exception {
    JsonNode r =
        retrier(
            "{\"IntervalSeconds\":30,\"MaxAttempts\":6,\"BackoffRate\":2,\"MaxDelaySeconds\":300,\"JitterStrategy\":\"NONE\"}");
    double[] delays = new double[6];
    for (int n = 0; n < 6; n++) {
      delays[n] = interpreter.delay(r, n);
    }
    assertThat(delays).containsExactly(30, 60, 120, 240, 300, 300);
  }

  @Test
  void defaults_areOneSecondAndRateTwo() throws Exception {
    JsonNode r = retrier("{\"ErrorEquals\":[\"States.ALL\"]}");
    assertThat(interpreter.delay(r, 0)).isEqualTo(1);
    assertThat(interpreter.delay(r, 3)).isEqualTo(8);
  }

  @Test
  void fullJitter_staysWithinZeroAndTheCappedDelay_andVaries() throws Exception {
    JsonNode r =
        retrier(
            "{\"IntervalSeconds\":30,\"BackoffRate\":2,\"MaxDelaySeconds\":300,\"JitterStrategy\":\"FULL\"}");
    Set<Double> seen = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      double d = interpreter.delay(r, 5);
      assertThat(d).isBetween(0.0, 300.0);
      seen.add(d);
    }
    assertThat(seen).hasSizeGreaterThan(100);
  }
}
