package io.stepwise.pipelines.report.deliver;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Output of deliver: where the Markdown and HTML are in the blob store, and what the webhook said
 * ({@code status} {@code skipped} for target none, else {@code delivered}).
 */
@Serdeable
public record Delivery(
    String markdownKey,
    String htmlKey,
    String target,
    String status,
    @Nullable String externalId,
    @Nullable String url) {}
