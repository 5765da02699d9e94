package io.stepwise.pipelines.report.writing;

import io.micronaut.serde.annotation.Serdeable;

/**
 * Output of write_report: the report in Markdown (stitched when it was continued), and who wrote
 * it.
 */
@Serdeable
public record ReportDraft(
    String language, String markdown, int chars, String model, String modelReason) {}
