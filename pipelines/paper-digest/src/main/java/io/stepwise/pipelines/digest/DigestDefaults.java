package io.stepwise.pipelines.digest;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.List;

/**
 * What a task does when its request leaves a field out ({@code
 * stepwise.pipelines.paper-digest.defaults.*}).
 */
@ConfigurationProperties("stepwise.pipelines.paper-digest.defaults")
public record DigestDefaults(
    @Bindable(defaultValue = "arxiv") @NotBlank String source,
    @Bindable(defaultValue = "cs.AI,cs.CL") @Nullable List<String> categories,
    @Nullable List<String> keywords,
    @Bindable(defaultValue = "2") @Min(1) @Max(30) int days,
    @Bindable(defaultValue = "5") @Min(1) @Max(20) int maxPapers,
    @Bindable(defaultValue = "zh") @NotBlank String language,
    @Bindable(defaultValue = "none") @NotBlank String publishTarget) {

  public DigestDefaults {
    categories = categories == null ? List.of() : List.copyOf(categories);
    keywords = keywords == null ? List.of() : List.copyOf(keywords);
  }
}
