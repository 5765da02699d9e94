package io.stepwise.pipelines.digest.analysis;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.stepwise.models.CallPolicy;
import io.stepwise.models.RoutingStrategy;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * How analyze calls models ({@code stepwise.pipelines.paper-digest.steps.analyze.*}, defaults
 * here). The model chain and the call timeout are the platform's ({@code stepwise.routing.*}).
 *
 * @param strategy the routing strategy ({@link RoutingStrategy}'s names); unset: {@code
 *     stepwise.routing.strategy}
 * @param concurrency papers analysed at once
 * @param maxTokens {@code max_tokens} of a first attempt
 * @param maxTokensCap {@code finish_reason length} doubles it up to this
 * @param minChars a shorter answer is a failed attempt
 * @param attempts attempts per model (the last to {@code backup})
 * @param backoffBase full-jitter backoff after an unknown or missing finish reason starts here...
 * @param backoffMax ...and doubles up to this
 * @param backup the model for the last attempt and after a content filter; unset for none
 */
@ConfigurationProperties("stepwise.pipelines.paper-digest.steps.analyze")
public record AnalyzeConfig(
    @Nullable String strategy,
    @Bindable(defaultValue = "4") @Min(1) int concurrency,
    @Bindable(defaultValue = "1200") @Min(1) int maxTokens,
    @Bindable(defaultValue = "4800") @Min(1) int maxTokensCap,
    @Bindable(defaultValue = "40") @Min(0) int minChars,
    @Bindable(defaultValue = "3") @Min(1) int attempts,
    @Bindable(defaultValue = "500ms") @NotNull Duration backoffBase,
    @Bindable(defaultValue = "8s") @NotNull Duration backoffMax,
    @Nullable String backup) {

  public AnalyzeConfig {
    if (strategy != null) {
      RoutingStrategy.parse(strategy); // an unknown name fails at start-up, not on the first paper
    }
  }

  /** How analyze calls models; {@code platformStrategy} unless this step names its own. */
  public CallPolicy policy(String platformStrategy) {
    return new CallPolicy(
        RoutingStrategy.parse(strategy == null ? platformStrategy : strategy),
        maxTokens,
        maxTokensCap,
        minChars,
        attempts,
        backoffBase,
        backoffMax,
        backup,
        0);
  }
}
