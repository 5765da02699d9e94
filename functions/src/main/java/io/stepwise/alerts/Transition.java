package io.stepwise.alerts;

import io.micronaut.core.annotation.Nullable;
import io.stepwise.model.Times;
import java.time.Instant;
import java.util.Locale;

/**
 * One entry of the alert history ({@code ALERT#<rule>} / {@code AT#<id>}): a rule that fired or
 * cleared (with the value and threshold that decided it), or a model whose health status changed
 * ({@code model-health}, with the model and both statuses). {@code pending} while the alert webhook
 * has not taken it.
 */
public record Transition(
    AlertRule rule,
    Event event,
    Instant at,
    @Nullable Double value,
    @Nullable Double threshold,
    @Nullable String model,
    @Nullable String from,
    @Nullable String to,
    boolean pending) {

  /** What happened. */
  public enum Event {
    FIRED,
    CLEARED,
    /** A model's status changed (rule {@code model-health}). */
    CHANGED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Event parse(String wire) {
      return valueOf(wire.toUpperCase(Locale.ROOT));
    }
  }

  /**
   * Unique within its rule and stable: the time, and the event (a rule may clear and fire again
   * within one millisecond only on a stopped clock, but then too) or, for a model's change, the
   * model (two models may change in the same millisecond). The webhook's idempotency key is built
   * from it.
   */
  public String id() {
    return Times.format(at) + "#" + (model == null ? event.wire() : model);
  }

  public Transition delivered() {
    return new Transition(rule, event, at, value, threshold, model, from, to, false);
  }
}
