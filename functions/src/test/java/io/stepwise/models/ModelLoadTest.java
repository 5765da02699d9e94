package io.stepwise.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepwise.steps.errors.TransientStepException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ModelLoadTest {

  private final ModelLoad load = new ModelLoad(0.5);
  private final ModelSpec model =
      new ModelSpec(
          "m",
          Provider.OPENAI_COMPATIBLE,
          "http://127.0.0.1:9",
          "fake",
          null,
          1,
          0,
          true,
          ProbeKind.MODELS_LIST,
          null,
          2);

  @Test
  void atMostMaxInFlight_andAFreedPlaceLetsTheNextIn() throws Exception {
    ModelLoad.Slot one = load.acquire(model, Duration.ZERO);
    ModelLoad.Slot two = load.acquire(model, Duration.ZERO);
    assertThat(load.inFlight("m")).isEqualTo(2);
    assertThat(load.saturated(model)).isTrue();
    assertThatThrownBy(() -> load.acquire(model, Duration.ofMillis(50)))
        .isInstanceOf(TransientStepException.class)
        .hasMessageContaining("max-in-flight 2");

    CountDownLatch got = new CountDownLatch(1);
    Thread waiter =
        new Thread(
            () -> {
              try (ModelLoad.Slot three = load.acquire(model, Duration.ofSeconds(5))) {
                got.countDown();
              }
            });
    waiter.start();
    assertThat(got.await(200, TimeUnit.MILLISECONDS)).as("still full").isFalse();
    one.close();
    assertThat(got.await(2, TimeUnit.SECONDS)).isTrue();
    waiter.join();
    two.close();
    assertThat(load.inFlight("m")).isZero();
  }

  @Test
  void lowRemainingRequests_lowerTheLimit_butNeverBelowOne() {
    load.observe(model, 100, OptionalLong.of(0));
    ModelLoad.Slot only = load.acquire(model, Duration.ZERO);
    assertThat(load.saturated(model)).isTrue();
    only.close();
    load.observe(model, 100, OptionalLong.of(450));
    try (ModelLoad.Slot a = load.acquire(model, Duration.ZERO);
        ModelLoad.Slot b = load.acquire(model, Duration.ZERO)) {
      assertThat(load.saturated(model))
          .as("back to max-in-flight once the window refills")
          .isTrue();
    }
  }

  @Test
  void observedLatency_isAnEma() {
    assertThat(load.observedLatencyMs("m")).isEmpty();
    load.observe(model, 100, OptionalLong.empty());
    load.observe(model, 300, OptionalLong.empty());
    assertThat(load.observedLatencyMs("m")).hasValue(200);
  }
}
