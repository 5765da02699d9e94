package io.stepwise.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a pipeline's steps are read from its ASL, on small hand-written definitions. */
class AslStepsTest {

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
      "WriteReport, write_report",
      "FetchPapers, fetch_papers",
      "RenderImages, render_images",
      "BuildPayload, build_payload",
      "Analyze, analyze",
      "Gather, gather",
  })
  void wireName_isTheStateNameInSnakeCase(String state, String wire) {
    assertThat(Step.wireName(state)).isEqualTo(wire);
  }

  @Test
  void testResource_readsItsThreeStepsAndNotRecordFailure() {
    assertThat(AslSteps.read("pipelines/rules-test.asl.json"))
        .containsExactly(new Step("gather", "Gather", 0), new Step("summarise", "Summarise", 1), new Step("write_report", "WriteReport", 2));
  }

  @Test
  void statesOtherThanTaskOnTheChain_arePassedOver() throws IOException {
    String asl = """
        {"StartAt": "Route", "States": {
          "Route": {"Type": "Choice", "Choices": [], "Default": "Plan"},
          "Plan": {"Type": "Task", "Resource": "x", "Next": "Pause"},
          "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Shape"},
          "Shape": {"Type": "Pass", "Next": "Deliver"},
          "Deliver": {"Type": "Task", "Resource": "x", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "RecordFailure"}], "End": true},
          "RecordFailure": {"Type": "Task", "Resource": "x", "Next": "Failed"},
          "Failed": {"Type": "Fail"}}}
        """;

    assertThat(steps(asl)).containsExactly(new Step("plan", "Plan", 0), new Step("deliver", "Deliver", 1));
  }

  @Test
  void startAtThatIsNotAChoiceWithDefault_isRefusedWithAClearMessage() {
    String asl = """
        {"StartAt": "Plan", "States": {"Plan": {"Type": "Task", "Resource": "x", "End": true}}}
        """;

    assertThatThrownBy(() -> steps(asl))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("test.asl.json")
        .hasMessageContaining("StartAt must name a Choice state (Route) with a Default");
  }

  @Test
  void nextNamingAMissingState_isRefusedNamingIt() {
    String asl = """
        {"StartAt": "Route", "States": {
          "Route": {"Type": "Choice", "Choices": [], "Default": "Plan"},
          "Plan": {"Type": "Task", "Resource": "x", "Next": "Deliver"}}}
        """;

    assertThatThrownBy(() -> steps(asl))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("missing state Deliver");
  }

  @Test
  void missingResource_isRefusedNamingIt() {
    assertThatThrownBy(() -> AslSteps.read("pipelines/absent.asl.json"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pipelines/absent.asl.json is not on the class path");
  }

  private static List<Step> steps(String asl) throws IOException {
    return AslSteps.steps("test.asl.json", AslSteps.readTree(new ByteArrayInputStream(asl.getBytes(StandardCharsets.UTF_8))));
  }
}
