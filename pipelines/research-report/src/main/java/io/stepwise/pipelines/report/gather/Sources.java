package io.stepwise.pipelines.report.gather;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * Output of gather: per planned section, the query sent and the papers kept for it. Each paper
 * appears in one section only and has one number {@code n} across the whole report: the {@code [n]}
 * the report cites it by.
 */
@Serdeable
public record Sources(List<Section> sections) {

  /** The papers of one section, in the plan's order. */
  @Serdeable
  public record Section(String heading, String query, List<Source> papers) {}

  /** One paper as the report cites it. */
  @Serdeable
  public record Source(
      int n,
      String paperId,
      String title,
      List<String> authors,
      String abstractText,
      String url,
      @Nullable String published) {}

  /** Every paper, by number. */
  public List<Source> all() {
    return sections.stream().flatMap(s -> s.papers().stream()).toList();
  }
}
