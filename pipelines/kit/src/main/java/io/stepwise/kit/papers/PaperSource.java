package io.stepwise.kit.papers;

import java.util.List;

/** A place to find recent papers. */
public interface PaperSource {

  /** The value of the task input's {@code source} this serves ({@code arxiv}, {@code hf_daily}). */
  String name();

  /**
   * Recent papers for the query, newest first, at most {@code max}; a human-readable query in
   * {@code out}.
   */
  Result fetch(PaperQuery query, int max);

  /** Papers and the query sent, for the record. */
  record Result(String query, List<Paper> papers) {}
}
