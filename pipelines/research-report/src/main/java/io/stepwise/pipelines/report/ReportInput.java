package io.stepwise.pipelines.report;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * What a report task should do, defaults applied at creation so every retry does the same thing:
 * the topic, how many sections (3–6), the report's language ({@code zh} | {@code en}), the shortest
 * acceptable report in characters, where it goes and a free note.
 */
@Serdeable
public record ReportInput(
    String topic,
    int sections,
    String language,
    int minChars,
    Deliver deliver,
    @Nullable String note) {

  /** Where the finished report goes besides the blob store: {@code none} or {@code webhook}. */
  @Serdeable
  public record Deliver(String target) {}
}
