package io.stepwise.pipelines.report.gather;

import io.stepwise.kit.papers.Paper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Shares the papers found out among the sections: a paper goes to the first section (in plan order)
 * that found it, each section keeps at most {@code perSection} of its own, and every kept paper is
 * numbered once, in order, from 1.
 */
final class Dedupe {

  private Dedupe() {}

  static List<List<Sources.Source>> assign(List<List<Paper>> found, int perSection) {
    Set<String> taken = new HashSet<>();
    List<List<Sources.Source>> sections = new ArrayList<>();
    int n = 0;
    for (List<Paper> papers : found) {
      List<Sources.Source> kept = new ArrayList<>();
      for (Paper p : papers) {
        if (kept.size() < perSection && taken.add(p.id())) {
          kept.add(
              new Sources.Source(
                  ++n,
                  p.id(),
                  p.title(),
                  p.authors(),
                  p.abstractText(),
                  p.links().abs(),
                  p.published()));
        }
      }
      sections.add(kept);
    }
    return sections;
  }
}
