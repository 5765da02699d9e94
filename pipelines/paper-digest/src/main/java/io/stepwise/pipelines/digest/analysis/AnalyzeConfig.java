package io.stepwise.pipelines.digest.analysis;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.stepwise.models.CallPolicy;
import io.stepwise.models.RoutingStrategy;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * How analyze calls models ({@code stepwise.analyze.*}; defaults in application.yml). {@code primary},
 * {@code fallbacks} and {@code timeout} are read by the router and the gateway.
 *
 * @param strategy the routing strategy ({@link RoutingStrategy}'s names)
 * @param concurrency papers analysed at once
 * @param maxTokens {@code max_tokens} of a first attempt
 * @param maxTokensCap {@code finish_reason length} doubles it up to this
 * @param minChars a shorter answer is a failed attempt
 * @param attempts attempts per model (the last to {@code backup})
 * @param backoffBase full-jitter backoff after an unknown or missing finish reason starts here...
 * @param backoffMax ...and doubles up to this
 * @param backup the model for the last attempt and after a content filter; unset for none
 */
@ConfigurationProperties("stepwise.analyze")
public record AnalyzeConfig(
    @NotBlank String strategy,
    @Min(1) int concurrency,
    @Min(1) int maxTokens,
    @Min(1) int maxTokensCap,
    @Min(0) int minChars,
    @Min(1) int attempts,
    @NotNull Duration backoffBase,
    @NotNull Duration backoffMax,
    @Nullable String backup) {

  public AnalyzeConfig {
    RoutingStrategy.parse(strategy); // an unknown name fails at start-up, not on the first paper
  }

  public CallPolicy policy() {
    return new CallPolicy(RoutingStrategy.parse(strategy), maxTokens, maxTokensCap, minChars, attempts, backoffBase,
        backoffMax, backup, 0);
  }
}
