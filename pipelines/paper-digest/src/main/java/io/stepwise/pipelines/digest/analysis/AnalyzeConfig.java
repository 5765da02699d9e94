package io.stepwise.pipelines.digest.analysis;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.stepwise.kit.models.ModelStepSettings;
import jakarta.validation.constraints.Min;

/**
 * How analyze works through its papers ({@code stepwise.pipelines.paper-digest.steps.analyze.*},
 * defaults here). Its model settings under the same prefix are the kit's {@link ModelStepSettings}
 * with {@link #MODELS} as the defaults.
 *
 * @param concurrency papers analysed at once
 */
@ConfigurationProperties("stepwise.pipelines.paper-digest.steps.analyze")
public record AnalyzeConfig(@Bindable(defaultValue = "4") @Min(1) int concurrency) {

  /** analyze's model settings unless configured: a post's worth of tokens, doubled on length. */
  public static final ModelStepSettings MODELS = ModelStepSettings.defaults(1200, 4800, 40);
}
