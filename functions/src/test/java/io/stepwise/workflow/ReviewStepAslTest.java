package io.stepwise.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.model.Pipeline;
import io.stepwise.model.PipelineDefinition;
import io.stepwise.model.Pipelines;
import io.stepwise.model.Step;
import io.stepwise.testing.RulesTestPipeline;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A pipeline's review step as its definition places it and the ASL the core generates for it
 * (docs/architecture.md, "Review and edits"): the step after the reviewed one, a Choice that skips
 * it for a task without review, a Task on {@code lambda:invoke.waitForTaskToken} passing {@code
 * $$.Task.Token}
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token)
 * whose timeout is the configured review timeout and whose expiry is recorded as the task's
 * failure.
 */
class ReviewStepAslTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The rules-test pipeline with a review of {@code summarise}. */
  private static final class Reviewed implements PipelineDefinition {
    private final String after;

    Reviewed(String after) {
      this.after = after;
    }

    @Override
    public String name() {
      return "reviewed";
    }

    @Override
    public String aslFile() {
      return "(not deployed)";
    }

    @Override
    public Optional<String> reviewAfter() {
      return Optional.ofNullable(after);
    }

    @Override
    public List<StepHandler> functions() {
      return new RulesTestPipeline().functions();
    }
  }

  private static Pipeline reviewed(Map<String, String> config) {
    return Pipelines.installedFrom(
            List.of(new Reviewed("summarise")), k -> Optional.ofNullable(config.get(k)))
        .get("reviewed");
  }

  @Test
  void theReviewStep_followsTheReviewedStep_andTheStepsAfterItMoveDownOne() {
    Pipeline p = reviewed(Map.of());
    assertThat(p.stepNames()).containsExactly("gather", "summarise", "review", "write_report");
    Step review = p.require("review");
    assertThat(review.isReview()).isTrue();
    assertThat(review.reviews()).isEqualTo("summarise");
    assertThat(review.timeoutSeconds()).isEqualTo(86_400);
    assertThat(p.require("write_report").index()).isEqualTo(3);
  }

  @Test
  void theAsl_skipsTheReviewWithoutTheFlag_andWaitsForTheTokenWithIt() throws Exception {
    JsonNode states =
        JSON.readTree(
                AslGenerator.generate(
                    reviewed(Map.of("stepwise.pipelines.reviewed.review-timeout", "2h")), "x"))
            .get("States");
    assertThat(states.at("/Summarise/Next").asText()).isEqualTo("ReviewWanted");
    JsonNode choice = states.get("ReviewWanted");
    assertThat(choice.path("Type").asText()).isEqualTo("Choice");
    assertThat(choice.path("Default").asText()).isEqualTo("WriteReport");
    assertThat(choice.at("/Choices/0/Next").asText()).isEqualTo("Review");
    assertThat(choice.at("/Choices/0/And/0/IsPresent").asBoolean()).isTrue();
    assertThat(choice.at("/Choices/0/And/1/BooleanEquals").asBoolean()).isTrue();

    JsonNode review = states.get("Review");
    assertThat(review.path("Resource").asText())
        .isEqualTo("arn:aws:states:::lambda:invoke.waitForTaskToken");
    assertThat(review.at("/Parameters/Payload/token.$").asText()).isEqualTo("$$.Task.Token");
    assertThat(review.at("/Parameters/FunctionName").asText()).isEqualTo("${ReviewFunctionArn}");
    assertThat(review.path("TimeoutSeconds").asInt()).isEqualTo(7200);
    assertThat(review.path("Next").asText()).isEqualTo("WriteReport");
    assertThat(review.at("/Catch/0/ErrorEquals").toString()).contains("States.Timeout");
    assertThat(review.at("/Catch/0/Next").asText()).isEqualTo(AslGenerator.RECORD_FAILURE);
    assertThat(review.toString())
        .as("a rejection is not caught: it ends the execution")
        .doesNotContain("ReviewRejected");
    // a retry from the review jumps straight to it
    assertThat(states.at("/Route/Choices").toString()).contains("\"StringEquals\":\"review\"");
  }

  @Test
  void aReviewOfTheLastStep_orOfAnUnknownOne_orABadTimeout_isRefusedNamingIt() {
    assertThatThrownBy(() -> Pipelines.of(List.of(new Reviewed("write_report"))))
        .hasMessageContaining("reviews its last step, write_report");
    assertThatThrownBy(() -> Pipelines.of(List.of(new Reviewed("nope"))))
        .hasMessageContaining("reviews step nope, which it does not have");
    assertThatThrownBy(() -> reviewed(Map.of("stepwise.pipelines.reviewed.review-timeout", "0")))
        .hasMessageContaining("stepwise.pipelines.reviewed.review-timeout must be");
  }
}
