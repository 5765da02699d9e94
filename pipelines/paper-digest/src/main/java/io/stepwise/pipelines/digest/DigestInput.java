package io.stepwise.pipelines.digest;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.stepwise.kit.papers.PaperQuery;

/**
 * What a task should do, with configured defaults already applied at creation so that every retry
 * of the task does the same thing. See docs/api.md for the fields and their limits.
 */
@Serdeable
public record DigestInput(
    String source,
    PaperQuery query,
    int maxPapers,
    String language,
    Publish publish,
    @Nullable String note) {

  /** Where the post goes: {@code mcp}, {@code webhook} or {@code none}. */
  @Serdeable
  public record Publish(String target) {}
}
