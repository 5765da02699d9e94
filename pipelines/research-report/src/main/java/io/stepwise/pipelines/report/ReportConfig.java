package io.stepwise.pipelines.report;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.stepwise.models.CallPolicy;
import io.stepwise.models.RoutingStrategy;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * The research report's settings ({@code stepwise.report.*}; defaults in application.yml): the model tactics of
 * its three model steps and the defaults of its input. The model chain is the shared one
 * ({@code stepwise.analyze.primary}/{@code fallbacks}).
 *
 * @param strategy the routing strategy ({@link RoutingStrategy}'s names)
 * @param concurrency sections written at once
 * @param maxTokens {@code max_tokens} of a plan or section call
 * @param reportMaxTokens {@code max_tokens} of each part of the final report
 * @param maxTokensCap {@code finish_reason length} doubles a plan or section call's max_tokens up to this
 * @param sectionMinChars a shorter section is a failed attempt
 * @param attempts attempts per model (the last to {@code backup})
 * @param backoffBase full-jitter backoff after an unknown or missing finish reason starts here...
 * @param backoffMax ...and doubles up to this
 * @param backup the model for the last attempt; unset for none
 * @param continuations how many times a report cut by {@code length} is continued and stitched
 * @param papersPerSection papers kept per section after de-duplication
 * @param days how far back gather searches
 */
@ConfigurationProperties("stepwise.report")
public record ReportConfig(
    @NotBlank String strategy,
    @Min(1) int concurrency,
    @Min(1) int maxTokens,
    @Min(1) int reportMaxTokens,
    @Min(1) int maxTokensCap,
    @Min(0) int sectionMinChars,
    @Min(1) int attempts,
    @NotNull Duration backoffBase,
    @NotNull Duration backoffMax,
    @Nullable String backup,
    @Min(0) int continuations,
    @Min(1) @Max(10) int papersPerSection,
    @Min(1) @Max(30) int days,
    @Min(3) @Max(6) int defaultSections,
    @NotBlank String defaultLanguage,
    @Min(1) int defaultMinChars,
    @NotBlank String defaultDeliver) {

  public ReportConfig {
    RoutingStrategy.parse(strategy); // an unknown name fails at start-up, not on the first call
  }

  /** How plan and write_sections call models; a shorter answer than {@code minChars} is a failed attempt. */
  public CallPolicy stepPolicy(int minChars) {
    return new CallPolicy(RoutingStrategy.parse(strategy), maxTokens, Math.max(maxTokens, maxTokensCap), minChars,
        attempts, backoffBase, backoffMax, backup, 0);
  }

  /** How write_report calls models: long output, continued on {@code length}, at least {@code minChars}. */
  public CallPolicy reportPolicy(int minChars) {
    return new CallPolicy(RoutingStrategy.parse(strategy), reportMaxTokens, Math.max(reportMaxTokens, maxTokensCap), minChars,
        attempts, backoffBase, backoffMax, backup, continuations);
  }
}
