package io.stepwise.lambda;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;

/** One clock for all time decisions (expiry, timestamps), so tests can replace it. */
@Factory
public class ClockFactory {

  @Singleton
  public Clock clock() {
    return Clock.systemUTC();
  }
}
