package io.stepwise.pipelines.report;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.stepwise.kit.models.ModelStepSettings;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * The research report's settings ({@code stepwise.pipelines.research-report.*}, defaults here): how
 * it gathers and writes, and the defaults of its input. Each model step's model settings are the
 * kit's {@link ModelStepSettings} under {@code steps.<step>.*}, with the defaults below.
 *
 * @param concurrency sections written at once
 * @param papersPerSection papers kept per section after de-duplication
 * @param days how far back gather searches
 */
@ConfigurationProperties("stepwise.pipelines.research-report")
public record ReportConfig(
    @Bindable(defaultValue = "4") @Min(1) int concurrency,
    @Bindable(defaultValue = "3") @Min(1) @Max(10) int papersPerSection,
    @Bindable(defaultValue = "30") @Min(1) @Max(30) int days,
    @Bindable(defaultValue = "4") @Min(3) @Max(6) int defaultSections,
    @Bindable(defaultValue = "zh") @NotBlank String defaultLanguage,
    @Bindable(defaultValue = "2000") @Min(1) int defaultMinChars,
    @Bindable(defaultValue = "none") @NotBlank String defaultDeliver) {

  /**
   * plan's model settings unless configured: a plan shorter than 40 characters holds no sections.
   */
  public static final ModelStepSettings PLAN_MODELS = ModelStepSettings.defaults(1200, 4800, 40);

  /**
   * write_sections' model settings unless configured: a section under 200 characters is retried.
   */
  public static final ModelStepSettings SECTION_MODELS =
      ModelStepSettings.defaults(1200, 4800, 200);

  /**
   * write_report's model settings unless configured: long output, continued and stitched up to
   * three times on {@code length}; its minimum length is the task's {@code minChars}.
   */
  public static final ModelStepSettings REPORT_MODELS =
      ModelStepSettings.defaults(4000, 4800, 0).withContinuations(3);
}
