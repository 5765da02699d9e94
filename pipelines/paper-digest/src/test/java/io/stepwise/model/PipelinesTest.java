package io.stepwise.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.testing.RulesTestPipeline;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pipeline's step list agrees with its ASL (DESIGN.md, "Pipelines"). The ASL is read here with a separate
 * parser (Jackson data binding), so {@link AslSteps} is checked against an independent reading of the file.
 */
class PipelinesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The pipelines this jar deploys, and the rules tests' own pipeline (so its ASL is proven the same way). */
  static Stream<Pipeline> pipelines() {
    return Stream.concat(Pipelines.installed().all().stream(), RulesTestPipeline.pipelines().all().stream());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pipelines")
  void steps_areTheTaskStatesOnTheNextChainFromRouteDefault_inOrder(Pipeline pipeline) throws IOException {
    JsonNode states = asl(pipeline).get("States");
    List<String> chain = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String name = states.get(asl(pipeline).get("StartAt").asText()).get("Default").asText();
    while (name != null && seen.add(name)) {
      JsonNode state = states.get(name);
      assertThat(state).as("state %s on the Next chain", name).isNotNull();
      if (state.get("Type").asText().equals("Task")) {
        chain.add(name);
      }
      name = state.hasNonNull("Next") ? state.get("Next").asText() : null;
    }

    assertThat(pipeline.steps()).extracting(Step::state).containsExactlyElementsOf(chain);
    for (Step step : pipeline.steps()) {
      assertThat(step.index()).isEqualTo(pipeline.steps().indexOf(step));
      assertThat(step.name()).isEqualTo(Step.wireName(step.state()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pipelines")
  void route_isAChoiceOnStartAt_withDefaultTheFirstStepAndARuleForEveryOtherStep(Pipeline pipeline) throws IOException {
    JsonNode root = asl(pipeline);
    JsonNode route = root.get("States").get(root.get("StartAt").asText());

    assertThat(root.get("StartAt").asText()).isEqualTo("Route");
    assertThat(route.get("Type").asText()).isEqualTo("Choice");
    assertThat(route.get("Default").asText()).isEqualTo(pipeline.first().state());
    List<String> rules = new ArrayList<>();
    route.get("Choices").forEach(c -> rules.add(c.get("Variable").asText() + " == " + c.get("StringEquals").asText() + " → " + c.get("Next").asText()));
    List<String> expected =
        pipeline.steps().stream().skip(1).map(s -> "$.startAt == " + s.name() + " → " + s.state()).toList();
    assertThat(rules).containsExactlyInAnyOrderElementsOf(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pipelines")
  void everyStepsPayload_namesItsWireName(Pipeline pipeline) throws IOException {
    JsonNode states = asl(pipeline).get("States");
    for (Step step : pipeline.steps()) {
      JsonNode payload = states.get(step.state()).path("Parameters").path("Payload");
      assertThat(payload.path("step").asText()).as("%s Parameters.Payload.step", step.state()).isEqualTo(step.name());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pipelines")
  void taskStatesReachedOnlyThroughCatch_areNotSteps(Pipeline pipeline) throws IOException {
    JsonNode states = asl(pipeline).get("States");
    Set<String> catchTargets = new HashSet<>();
    states.forEach(s -> s.path("Catch").forEach(c -> catchTargets.add(c.get("Next").asText())));

    assertThat(catchTargets).contains("RecordFailure");
    assertThat(pipeline.stepNames()).doesNotContain("record_failure");
    assertThat(pipeline.steps()).extracting(Step::state).doesNotContainAnyElementsOf(catchTargets);
  }

  @Test
  void installed_includesPaperDigestWithItsFiveStepsInOrder() {
    Pipeline digest = Pipelines.installed().get("paper-digest");

    assertThat(digest.stepNames()).containsExactly("fetch_papers", "analyze", "render_images", "build_payload", "publish");
    assertThat(digest.aslResource()).isEqualTo("statemachine.asl.json");
    assertThat(Pipelines.installed().names()).as("ordered by name").isSorted();
  }

  @Test
  void aRateLimitWaitRoute_isReadFromTheAsl_itsDelayFromTheError_boundedByItsChoice() {
    Pipeline digest = Pipelines.installed().get("paper-digest");
    Step analyze = digest.require("analyze");
    TaskError limited = new TaskError("analyze", "RateLimitedException", "HTTP 429 from local-gpt (retry after 40 s)");

    assertThat(digest.retryDelay(analyze, limited, 1)).contains(java.time.Duration.ofSeconds(40));
    assertThat(digest.retryDelay(analyze, limited, 5)).as("the fifth wait").contains(java.time.Duration.ofSeconds(40));
    assertThat(digest.retryDelay(analyze, limited, 6)).as("out of waits: RecordFailure").isEmpty();
    assertThat(digest.retryDelay(analyze, new TaskError("analyze", "RateLimitedException", "no delay named"), 1))
        .as("the ASL's default").contains(java.time.Duration.ofSeconds(60));
    assertThat(digest.retryDelay(analyze, "TransientStepException", 1)).as("Retry entries unchanged")
        .contains(java.time.Duration.ofSeconds(30));
  }

  @Test
  void rulesTestPipeline_hasItsThreeSteps() {
    Pipeline rules = RulesTestPipeline.pipelines().get(RulesTestPipeline.NAME);

    assertThat(rules.steps())
        .containsExactly(new Step("gather", "Gather", 0), new Step("summarise", "Summarise", 1), new Step("write_report", "WriteReport", 2));
  }

  @Test
  void definitionMissingAFunctionForAnAslStep_failsToLoadNamingBothLists() {
    PipelineDefinition missing = definition("rules-test", List.of("gather", "summarise"));

    assertThatThrownBy(() -> Pipelines.of(List.of(missing)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pipeline rules-test")
        .hasMessageContaining("[gather, summarise]")
        .hasMessageContaining(RulesTestPipeline.ASL)
        .hasMessageContaining("[gather, summarise, write_report]");
  }

  @Test
  void definitionWithAFunctionForAStepTheAslDoesNotRun_failsToLoad() {
    PipelineDefinition extra = definition("rules-test", List.of("gather", "summarise", "write_report", "publish"));

    assertThatThrownBy(() -> Pipelines.of(List.of(extra)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("publish")
        .hasMessageContaining("runs [gather, summarise, write_report]");
  }

  @Test
  void twoDefinitionsWithTheSameName_failToLoad() {
    PipelineDefinition one = definition("rules-test", List.of("gather", "summarise", "write_report"));

    assertThatThrownBy(() -> Pipelines.of(List.of(one, one)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("two pipelines are named rules-test");
  }

  @Test
  void definitionWhoseAslIsNotOnTheClassPath_failsToLoadNamingTheResource() {
    PipelineDefinition lost = new PipelineDefinition() {
      @Override public String name() { return "lost"; }
      @Override public String aslResource() { return "pipelines/no-such.asl.json"; }
      @Override public List<StepHandler> functions() { return List.of(); }
    };

    assertThatThrownBy(() -> Pipelines.of(List.of(lost)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pipelines/no-such.asl.json");
  }

  @Test
  void unknownPipeline_isNamedInTheError() {
    assertThat(RulesTestPipeline.pipelines().find("paper-digest")).isEmpty();
    assertThatThrownBy(() -> RulesTestPipeline.pipelines().get("nope")).hasMessageContaining("no pipeline named nope");
  }

  private static PipelineDefinition definition(String name, List<String> steps) {
    return new PipelineDefinition() {
      @Override public String name() { return name; }
      @Override public String aslResource() { return RulesTestPipeline.ASL; }
      @Override public List<StepHandler> functions() {
        return steps.stream().map(s -> new StepHandler(s, "fn-" + s, Object.class, 512, false)).toList();
      }
    };
  }

  private static JsonNode asl(Pipeline pipeline) throws IOException {
    try (InputStream in = PipelinesTest.class.getClassLoader().getResourceAsStream(pipeline.aslResource())) {
      assertThat(in).as("ASL %s on the class path", pipeline.aslResource()).isNotNull();
      return JSON.readTree(in);
    }
  }
}
