package io.stepwise.models;

import io.micronaut.core.annotation.Nullable;
import java.time.Duration;
import java.util.List;

/**
 * How one pipeline step calls models: the routing strategy and the finish-reason tactics (length →
 * a larger max_tokens or a continuation, unknown → backoff, too short → retry, the last attempt to
 * a backup), applied by {@link ModelRouter} and {@link ChatTactics}. Each step builds its own from
 * its pipeline's configuration ({@code stepwise.pipelines.<name>.*}).
 *
 * @param strategy how the first model is picked
 * @param maxTokens {@code max_tokens} of the first attempt
 * @param maxTokensCap {@code finish_reason length} doubles {@code max_tokens} up to this
 * @param minChars an answer shorter than this (stripped) counts as a failed attempt
 * @param attempts attempts per model before the router moves on (the last one goes to {@code
 *     backup})
 * @param backoffBase full-jitter backoff after {@code unknown}/missing: a random wait up to base ×
 *     2^n...
 * @param backoffMax ...and never more than this
 * @param backup the model for the last attempt (and after {@code content_filter}); null for none
 * @param continuations for output meant to be long: on {@code length}, ask the model to continue
 *     and stitch the parts, at most this many times (0: double {@code max_tokens} instead)
 * @param chain the step's own model chain (primary, then fallbacks); empty for the platform's
 *     ({@code stepwise.routing.primary} and {@code fallbacks})
 * @param timeout the step's own call timeout; null for the platform's ({@code
 *     stepwise.routing.timeout})
 */
public record CallPolicy(
    RoutingStrategy strategy,
    int maxTokens,
    int maxTokensCap,
    int minChars,
    int attempts,
    Duration backoffBase,
    Duration backoffMax,
    @Nullable String backup,
    int continuations,
    List<String> chain,
    @Nullable Duration timeout) {

  /** A policy on the platform's model chain and call timeout. */
  public CallPolicy(
      RoutingStrategy strategy,
      int maxTokens,
      int maxTokensCap,
      int minChars,
      int attempts,
      Duration backoffBase,
      Duration backoffMax,
      @Nullable String backup,
      int continuations) {
    this(
        strategy,
        maxTokens,
        maxTokensCap,
        minChars,
        attempts,
        backoffBase,
        backoffMax,
        backup,
        continuations,
        List.of(),
        null);
  }

  public CallPolicy {
    if (maxTokens < 1
        || maxTokensCap < maxTokens
        || minChars < 0
        || attempts < 1
        || continuations < 0) {
      throw new IllegalArgumentException(
          "call policy needs 1 ≤ max-tokens ≤ max-tokens-cap, min-chars ≥ 0, "
              + "attempts ≥ 1 and continuations ≥ 0");
    }
    if (backup != null && backup.isBlank()) {
      backup = null;
    }
    chain = chain == null ? List.of() : chain.stream().filter(n -> !n.isBlank()).toList();
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("a call timeout must be positive");
    }
  }

  /**
   * The same policy for output meant to be long: {@code length} asks for a continuation, up to
   * {@code max} times.
   */
  public CallPolicy withContinuations(int max) {
    return new CallPolicy(
        strategy,
        maxTokens,
        maxTokensCap,
        minChars,
        attempts,
        backoffBase,
        backoffMax,
        backup,
        max,
        chain,
        timeout);
  }

  public CallPolicy withStrategy(RoutingStrategy other) {
    return new CallPolicy(
        other,
        maxTokens,
        maxTokensCap,
        minChars,
        attempts,
        backoffBase,
        backoffMax,
        backup,
        continuations,
        chain,
        timeout);
  }
}
