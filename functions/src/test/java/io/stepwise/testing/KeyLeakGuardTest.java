package io.stepwise.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The scan itself: a key in a log line or a response is found; a masked one is not. */
class KeyLeakGuardTest {

  @Test
  void keyInALogLineOrAResponse_isReported_maskedKeyIsNot() {
    LoggerFactory.getLogger("io.stepwise.anything")
        .debug("calling with {}", LocalServicesBase.OPENAI_KEY);
    LoggerFactory.getLogger("org.example")
        .warn("failed", new IllegalStateException("bad key " + LocalServicesBase.ANTHROPIC_KEY));
    LeakScan.record("response GET /api/x", "{\"apiKey\":\"sk-…3210\"}");

    assertThat(LeakScan.drainLeaks())
        .containsExactly(
            "log line of io.stepwise.anything contains the configured secret ending 3210",
            "log line of org.example contains the configured secret ending 6789");
    assertThat(LeakScan.drainLeaks()).isEmpty();
  }
}
