package io.stepwise.kit.models;

import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.core.value.PropertyResolver;
import io.stepwise.models.CallPolicy;
import io.stepwise.models.RoutingStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How one model-calling step calls models, the one settings record every pipeline uses: its model
 * chain, routing strategy and call timeout (each unset: the platform's, {@code stepwise.routing.*})
 * and its finish-reason tactics. A pipeline states its defaults in code and reads a step's keys
 * with {@link #read}: {@code stepwise.pipelines.<pipeline>.steps.<step>.<key>}.
 *
 * <table>
 *   <caption>keys</caption>
 *   <tr><td>primary, fallbacks</td><td>the step's own model chain</td></tr>
 *   <tr><td>strategy</td><td>how the first model is picked ({@link RoutingStrategy})</td></tr>
 *   <tr><td>timeout</td><td>one call's timeout</td></tr>
 *   <tr><td>max-tokens, max-tokens-cap</td><td>a first attempt's max_tokens; on finish_reason
 *       length it doubles up to the cap</td></tr>
 *   <tr><td>min-chars</td><td>a shorter answer is a failed attempt</td></tr>
 *   <tr><td>attempts</td><td>attempts per model, the last to backup</td></tr>
 *   <tr><td>backoff-base, backoff-max</td><td>full-jitter backoff after an unknown finish
 *       reason</td></tr>
 *   <tr><td>backup</td><td>the model for the last attempt and after a content filter</td></tr>
 *   <tr><td>continuations</td><td>for long output: on length, continue and stitch up to this many
 *       times</td></tr>
 * </table>
 */
public record ModelStepSettings(
    List<String> chain,
    @Nullable String strategy,
    @Nullable Duration timeout,
    int maxTokens,
    int maxTokensCap,
    int minChars,
    int attempts,
    Duration backoffBase,
    Duration backoffMax,
    @Nullable String backup,
    int continuations) {

  /** Today's tactics with the given token limits, on the platform's chain, strategy and timeout. */
  public static ModelStepSettings defaults(int maxTokens, int maxTokensCap, int minChars) {
    return new ModelStepSettings(
        List.of(),
        null,
        null,
        maxTokens,
        maxTokensCap,
        minChars,
        3,
        Duration.ofMillis(500),
        Duration.ofSeconds(8),
        null,
        0);
  }

  /**
   * The same settings picking the first model by {@code other} (a {@link RoutingStrategy} name).
   */
  public ModelStepSettings withStrategy(String other) {
    return new ModelStepSettings(
        chain,
        other,
        timeout,
        maxTokens,
        maxTokensCap,
        minChars,
        attempts,
        backoffBase,
        backoffMax,
        backup,
        continuations);
  }

  /** The same settings with another minimum answer length (e.g. one a task's input asks for). */
  public ModelStepSettings withMinChars(int min) {
    return new ModelStepSettings(
        chain,
        strategy,
        timeout,
        maxTokens,
        maxTokensCap,
        min,
        attempts,
        backoffBase,
        backoffMax,
        backup,
        continuations);
  }

  /** The same settings, continuing output cut by {@code length} up to {@code max} times. */
  public ModelStepSettings withContinuations(int max) {
    return new ModelStepSettings(
        chain,
        strategy,
        timeout,
        maxTokens,
        maxTokensCap,
        minChars,
        attempts,
        backoffBase,
        backoffMax,
        backup,
        max);
  }

  /**
   * These settings with whatever {@code config} sets under {@code prefix} (a step's {@code
   * stepwise.pipelines.<pipeline>.steps.<step>}); a value out of range fails, naming the key and
   * the range, so a start never runs with a setting silently ignored.
   */
  public ModelStepSettings read(PropertyResolver config, String prefix) {
    Keys keys = new Keys(config, prefix);
    List<String> chain = new ArrayList<>();
    Optional<String> primary = keys.text("primary");
    List<String> fallbacks = keys.list("fallbacks");
    if (primary.isEmpty() && !fallbacks.isEmpty()) {
      throw new ConfigurationException(
          prefix + ".fallbacks needs " + prefix + ".primary: a chain starts with its primary");
    }
    primary.ifPresent(chain::add);
    chain.addAll(fallbacks);
    String strategy = keys.text("strategy").orElse(this.strategy);
    if (strategy != null) {
      try {
        RoutingStrategy.parse(strategy);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(prefix + ".strategy: " + e.getMessage());
      }
    }
    int maxTokens = keys.integer("max-tokens", this.maxTokens, 1, 1_000_000);
    return new ModelStepSettings(
        primary.isPresent() ? List.copyOf(chain) : this.chain,
        strategy,
        keys.duration("timeout", this.timeout),
        maxTokens,
        keys.integer("max-tokens-cap", Math.max(maxTokens, maxTokensCap), maxTokens, 1_000_000),
        keys.integer("min-chars", minChars, 0, 1_000_000),
        keys.integer("attempts", attempts, 1, 10),
        keys.duration("backoff-base", backoffBase),
        keys.duration("backoff-max", backoffMax),
        keys.text("backup").orElse(backup),
        keys.integer("continuations", continuations, 0, 20));
  }

  /** The call policy of the step ({@code score} when no strategy is set). */
  public CallPolicy policy() {
    return new CallPolicy(
        RoutingStrategy.parse(strategy == null ? RoutingStrategy.SCORE.wire() : strategy),
        maxTokens,
        Math.max(maxTokens, maxTokensCap),
        minChars,
        attempts,
        backoffBase,
        backoffMax,
        backup,
        continuations,
        chain,
        timeout);
  }

  private record Keys(PropertyResolver config, String prefix) {

    Optional<String> text(String key) {
      return config.get(prefix + "." + key, String.class).filter(v -> !v.isBlank());
    }

    List<String> list(String key) {
      return config
          .get(prefix + "." + key, Argument.listOf(String.class))
          .orElse(List.of())
          .stream()
          .map(String::strip)
          .filter(v -> !v.isEmpty())
          .toList();
    }

    int integer(String key, int fallback, int min, int max) {
      Optional<String> value = text(key);
      if (value.isEmpty()) {
        return fallback;
      }
      try {
        int n = Integer.parseInt(value.get().strip());
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new ConfigurationException(
          prefix
              + "."
              + key
              + " must be a whole number from "
              + min
              + " to "
              + max
              + ", was "
              + value.get());
    }

    @Nullable Duration duration(String key, @Nullable Duration fallback) {
      Optional<String> value = text(key);
      if (value.isEmpty()) {
        return fallback;
      }
      Optional<Duration> parsed = config.get(prefix + "." + key, Duration.class);
      if (parsed.isEmpty() || parsed.get().isNegative() || parsed.get().isZero()) {
        throw new ConfigurationException(
            prefix
                + "."
                + key
                + " must be a positive duration such as 500ms, 8s or 2m, was "
                + value.get());
      }
      return parsed.get();
    }
  }
}
