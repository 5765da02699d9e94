package io.stepwise.pipelines.report;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.stepwise.models.CallPolicy;
import io.stepwise.models.RoutingStrategy;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * The research report's settings ({@code stepwise.pipelines.research-report.*}, defaults here): the
 * model tactics of its three model steps and the defaults of its input. The model chain is the
 * platform's ({@code stepwise.routing.*}).
 *
 * @param strategy the routing strategy ({@link RoutingStrategy}'s names); unset: {@code
 *     stepwise.routing.strategy}
 * @param concurrency sections written at once
 * @param maxTokens {@code max_tokens} of a plan or section call
 * @param reportMaxTokens {@code max_tokens} of each part of the final report
 * @param maxTokensCap {@code finish_reason length} doubles a plan or section call's max_tokens up
 *     to this
 * @param sectionMinChars a shorter section is a failed attempt
 * @param attempts attempts per model (the last to {@code backup})
 * @param backoffBase full-jitter backoff after an unknown or missing finish reason starts here...
 * @param backoffMax ...and doubles up to this
 * @param backup the model for the last attempt; unset for none
 * @param continuations how many times a report cut by {@code length} is continued and stitched
 * @param papersPerSection papers kept per section after de-duplication
 * @param days how far back gather searches
 */
@ConfigurationProperties("stepwise.pipelines.research-report")
public record ReportConfig(
    @Nullable String strategy,
    @Bindable(defaultValue = "4") @Min(1) int concurrency,
    @Bindable(defaultValue = "1200") @Min(1) int maxTokens,
    @Bindable(defaultValue = "4000") @Min(1) int reportMaxTokens,
    @Bindable(defaultValue = "4800") @Min(1) int maxTokensCap,
    @Bindable(defaultValue = "200") @Min(0) int sectionMinChars,
    @Bindable(defaultValue = "3") @Min(1) int attempts,
    @Bindable(defaultValue = "500ms") @NotNull Duration backoffBase,
    @Bindable(defaultValue = "8s") @NotNull Duration backoffMax,
    @Nullable String backup,
    @Bindable(defaultValue = "3") @Min(0) int continuations,
    @Bindable(defaultValue = "3") @Min(1) @Max(10) int papersPerSection,
    @Bindable(defaultValue = "30") @Min(1) @Max(30) int days,
    @Bindable(defaultValue = "4") @Min(3) @Max(6) int defaultSections,
    @Bindable(defaultValue = "zh") @NotBlank String defaultLanguage,
    @Bindable(defaultValue = "2000") @Min(1) int defaultMinChars,
    @Bindable(defaultValue = "none") @NotBlank String defaultDeliver) {

  public ReportConfig {
    if (strategy != null) {
      RoutingStrategy.parse(strategy); // an unknown name fails at start-up, not on the first call
    }
  }

  private RoutingStrategy strategy(String platformStrategy) {
    return RoutingStrategy.parse(strategy == null ? platformStrategy : strategy);
  }

  /**
   * How plan and write_sections call models; a shorter answer than {@code minChars} is a failed
   * attempt.
   */
  public CallPolicy stepPolicy(int minChars, String platformStrategy) {
    return new CallPolicy(
        strategy(platformStrategy),
        maxTokens,
        Math.max(maxTokens, maxTokensCap),
        minChars,
        attempts,
        backoffBase,
        backoffMax,
        backup,
        0);
  }

  /**
   * How write_report calls models: long output, continued on {@code length}, at least {@code
   * minChars}.
   */
  public CallPolicy reportPolicy(int minChars, String platformStrategy) {
    return new CallPolicy(
        strategy(platformStrategy),
        reportMaxTokens,
        Math.max(reportMaxTokens, maxTokensCap),
        minChars,
        attempts,
        backoffBase,
        backoffMax,
        backup,
        continuations);
  }
}
