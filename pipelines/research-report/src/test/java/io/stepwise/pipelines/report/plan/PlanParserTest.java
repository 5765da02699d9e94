package io.stepwise.pipelines.report.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.JsonMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Reading the plan a model answered: what is accepted as is, what is repaired locally, what needs a
 * repair request.
 */
class PlanParserTest {

  private static final JsonMapper JSON = JsonMapper.createDefault();
  private static final String SECTION =
      "{\"heading\":\"H%d\",\"question\":\"Q%d?\",\"keywords\":[\"k%d\"]}";

  private static String plan(int sections) {
    StringBuilder s = new StringBuilder("{\"title\":\"T\",\"sections\":[");
    for (int i = 1; i <= sections; i++) {
      s.append(i > 1 ? "," : "").append(String.format(SECTION, i, i, i));
    }
    return s.append("]}").toString();
  }

  private static Optional<PlanParser.Draft> parse(String text, int wanted, StringBuilder problem) {
    return PlanParser.parse(JSON, text, wanted, problem);
  }

  @Test
  void aPlainObject_isThePlan() {
    PlanParser.Draft draft = parse(plan(3), 3, new StringBuilder()).orElseThrow();
    assertThat(draft.title()).isEqualTo("T");
    assertThat(draft.sections())
        .extracting(Plan.Section::heading)
        .containsExactly("H1", "H2", "H3");
    assertThat(draft.sections().get(0).keywords()).containsExactly("k1");
  }

  @Test
  void aCodeFence_orASentenceAroundTheObject_isRepairedWithoutAskingAgain() {
    assertThat(parse("```json\n" + plan(4) + "\n```", 4, new StringBuilder())).isPresent();
    assertThat(
            parse(
                "Sure! Here is the plan:\n" + plan(4) + "\nHope this helps.",
                4,
                new StringBuilder()))
        .isPresent();
  }

  @Test
  void moreSectionsThanAskedFor_areCutToTheNumberAsked() {
    assertThat(parse(plan(6), 4, new StringBuilder()).orElseThrow().sections()).hasSize(4);
  }

  @Test
  void keywords_areStrippedAndCappedAtFour_blankOnesDropped() {
    String text =
        "{\"title\":\"T\",\"sections\":[{\"heading\":\"H\",\"question\":\"Q\",\"keywords\":[\" a \",\"\",\"b\",\"c\",\"d\",\"e\"]}]}";
    assertThat(parse(text, 1, new StringBuilder()).orElseThrow().sections().get(0).keywords())
        .isEqualTo(List.of("a", "b", "c", "d"));
  }

  @Test
  void whatCannotBeUsed_isToldBack_forTheRepairRequest() {
    StringBuilder notJson = new StringBuilder();
    assertThat(parse("title = maybe something", 3, notJson)).isEmpty();
    assertThat(notJson).hasToString("the answer is not a JSON object");

    StringBuilder tooFew = new StringBuilder();
    assertThat(parse(plan(2), 3, tooFew)).isEmpty();
    assertThat(tooFew).hasToString("it has 2 sections, 3 are needed");

    StringBuilder noTitle = new StringBuilder();
    assertThat(parse("{\"sections\":[]}", 3, noTitle)).isEmpty();
    assertThat(noTitle.toString()).contains("\"title\"");

    StringBuilder noKeywords = new StringBuilder();
    assertThat(
            parse(
                "{\"title\":\"T\",\"sections\":[{\"heading\":\"H\",\"question\":\"Q\",\"keywords\":[]}]}",
                1,
                noKeywords))
        .isEmpty();
    assertThat(noKeywords.toString()).contains("\"keywords\"");
  }
}
