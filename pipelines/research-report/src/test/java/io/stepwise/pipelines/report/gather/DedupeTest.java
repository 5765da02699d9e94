package io.stepwise.pipelines.report.gather;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepwise.kit.papers.Paper;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sharing the papers found among the sections: first section wins, a cap per section, one number
 * per paper.
 */
class DedupeTest {

  private static Paper paper(String id) {
    return new Paper(
        id,
        "Title " + id,
        List.of("A. Author"),
        "Abstract " + id,
        new Paper.Links("https://arxiv.org/abs/" + id, null),
        null,
        List.of("cs.AI"),
        "arxiv");
  }

  private static List<Paper> papers(String... ids) {
    return Arrays.stream(ids).map(DedupeTest::paper).toList();
  }

  @Test
  void aPaperFoundByTwoSections_isKeptInTheFirstOnly_andTheSecondKeepsItsNext() {
    List<List<Sources.Source>> kept =
        Dedupe.assign(List.of(papers("a", "b", "c"), papers("b", "d", "e")), 2);
    assertThat(kept.get(0)).extracting(Sources.Source::paperId).containsExactly("a", "b");
    assertThat(kept.get(1)).extracting(Sources.Source::paperId).containsExactly("d", "e");
  }

  @Test
  void papersAreNumberedOnceAcrossTheReport_inSectionOrder() {
    List<List<Sources.Source>> kept =
        Dedupe.assign(List.of(papers("a", "b"), papers("a", "c"), papers("c", "d")), 3);
    assertThat(kept.stream().flatMap(List::stream).map(s -> s.n() + s.paperId()).toList())
        .containsExactly("1a", "2b", "3c", "4d");
  }

  @Test
  void aSectionWhosePapersAllWentToEarlierSections_keepsNone() {
    List<List<Sources.Source>> kept = Dedupe.assign(List.of(papers("a", "b"), papers("b", "a")), 3);
    assertThat(kept.get(1)).isEmpty();
  }

  @Test
  void duplicatesWithinOneSectionsResults_countOnce() {
    assertThat(Dedupe.assign(List.of(papers("a", "a", "b")), 3).get(0))
        .extracting(Sources.Source::paperId)
        .containsExactly("a", "b");
  }
}
