package io.stepwise.pipelines.report.writing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;

/** An edited report keeps its fields and has no empty section. */
class ReportRulesTest {

  private static final JsonMapper JSON = JsonMapper.createDefault();

  private static JsonNode report(String markdown) throws Exception {
    return JSON.readValue(
        "{\"language\":\"en\",\"markdown\":"
            + JSON.writeValueAsString(markdown)
            + ",\"chars\":10,\"model\":\"m\",\"modelReason\":\"primary\"}",
        JsonNode.class);
  }

  @Test
  void aReportWithTextUnderEverySection_passes() throws Exception {
    assertThat(ReportRules.violations(report("# T\n\n## One\n\nText.\n\n## Two\n\nMore.\n")))
        .isEmpty();
  }

  @Test
  void emptySections_noSections_andBadFields_areNamed() throws Exception {
    assertThat(ReportRules.violations(report("# T\n\n## One\n\n## Two\n\nText\n## Three\n  \n")))
        .containsExactly("section 'One' is empty", "section 'Three' is empty");
    assertThat(ReportRules.violations(report("# Only a title\n\nNo sections.")))
        .containsExactly("the report has no sections ('## ' headings)");
    assertThat(
            ReportRules.violations(
                JSON.readValue("{\"markdown\":\" \",\"chars\":-1,\"x\":1}", JsonNode.class)))
        .contains(
            "the output has an unknown field 'x'",
            "'language' must be a string",
            "'chars' must be a whole number of characters, 0 or more",
            "'markdown' must be the report's text");
  }
}
