package io.stepwise.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Input fields from the command line, typed by the pipeline's JSON Schema. */
class FieldsTest {

  private static final String SCHEMA =
      """
      {"type":"object","properties":{
        "maxPapers":{"type":"integer"}, "note":{"type":"string"}, "dryRun":{"type":"boolean"},
        "query":{"type":"object","properties":{"days":{"type":"integer"},"keywords":{"type":"array","items":{"type":"string"}}}}}}
      """;

  private static JsonNode object(List<String> sets, List<String> options) throws Exception {
    return Fields.object(Fields.pairs(sets, options), Api.JSON.readTree(SCHEMA));
  }

  @Test
  void valuesTakeTheirSchemaType_andDottedPathsNest() throws Exception {
    JsonNode input =
        object(
            List.of("query.days=3", "query.keywords=agents, planning", "note=007"),
            List.of("--maxPapers", "2", "--dryRun"));
    assertThat(input.toString())
        .isEqualTo(
            "{\"query\":{\"days\":3,\"keywords\":[\"agents\",\"planning\"]},\"note\":\"007\",\"maxPapers\":2,\"dryRun\":true}");
  }

  @Test
  void aValueThatDoesNotFit_orAnUnknownField_goesAsTyped_forTheApiToJudge() throws Exception {
    JsonNode input =
        object(
            List.of("maxPapers=many", "extra={\"a\":1}", "other=3 4"),
            List.of("--query.keywords=[\"x\"]"));
    assertThat(input.path("maxPapers").asText()).isEqualTo("many");
    assertThat(input.path("extra").path("a").asInt()).isEqualTo(1);
    assertThat(input.path("other").asText()).as("not one JSON value: a string").isEqualTo("3 4");
    assertThat(input.path("query").path("keywords").get(0).asText()).isEqualTo("x");
  }

  @Test
  void malformedAssignments_areUsageErrors() {
    assertThatThrownBy(() -> Fields.pairs(List.of("novalue"), List.of()))
        .hasMessageContaining("--set takes field=value");
    assertThatThrownBy(() -> Fields.pairs(List.of(), List.of("stray")))
        .hasMessageContaining("unexpected argument 'stray'");
  }
}
