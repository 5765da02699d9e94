package io.stepwise.pipelines.digest;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * What a task should do, with configured defaults already applied at creation so that every retry of the task
 * does the same thing. See the API table in DESIGN.md for the fields and their limits.
 */
@Serdeable
public record DigestInput(
    String source,
    Query query,
    int maxPapers,
    String language,
    Publish publish,
    @Nullable String note) {

  /** Which papers: arXiv categories, keywords, and how many days back. */
  @Serdeable
  public record Query(List<String> categories, List<String> keywords, int days) {
    public Query {
      categories = categories == null ? List.of() : List.copyOf(categories);
      keywords = keywords == null ? List.of() : List.copyOf(keywords);
    }
  }

  /** Where the post goes: {@code mcp}, {@code webhook} or {@code none}. */
  @Serdeable
  public record Publish(String target) {}
}
