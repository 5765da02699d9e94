package io.stepwise.kit.papers;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Where the paper sources are (the real services by default; the local runtime points them at
 * loopback).
 */
@ConfigurationProperties("stepwise.sources")
public record SourcesConfig(
    @NotBlank String arxivUrl, @NotBlank String huggingFaceUrl, @NotNull Duration timeout) {}
