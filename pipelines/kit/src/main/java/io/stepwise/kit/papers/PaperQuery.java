package io.stepwise.kit.papers;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** Which papers: arXiv categories, keywords, and how many days back. */
@Serdeable
public record PaperQuery(List<String> categories, List<String> keywords, int days) {
  public PaperQuery {
    categories = categories == null ? List.of() : List.copyOf(categories);
    keywords = keywords == null ? List.of() : List.copyOf(keywords);
  }
}
