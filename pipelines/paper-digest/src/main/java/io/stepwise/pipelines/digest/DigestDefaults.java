package io.stepwise.pipelines.digest;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** What a task does when its request leaves a field out. */
@ConfigurationProperties("stepwise.defaults")
public record DigestDefaults(
    @NotBlank String source,
    @NotNull List<String> categories,
    @NotNull List<String> keywords,
    @Min(1) @Max(30) int days,
    @Min(1) @Max(20) int maxPapers,
    @NotBlank String language,
    @NotBlank String publishTarget) {}
