package io.stepwise.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.model.Pipeline;
import io.stepwise.model.PipelineDefinition;
import io.stepwise.model.Pipelines;
import io.stepwise.model.Step;
import io.stepwise.model.TaskError;
import io.stepwise.testing.RulesTestPipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The workflow a definition generates, read back with an independent parser (Jackson data binding):
 * the rules of docs/architecture.md, "The workflow", for every pipeline on the class path (the
 * fixture echo here) and the rules tests' pipeline; retry policies from configuration land in it;
 * invalid configuration is refused.
 */
class AslGeneratorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Pipeline> pipelines() {
    return Stream.concat(
        Pipelines.installed().all().stream(), RulesTestPipeline.pipelines().all().stream());
  }

  private static JsonNode asl(Pipeline pipeline) throws Exception {
    return JSON.readTree(AslGenerator.generate(pipeline, "test.Definition"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pipelines")
  void steps_areTheTaskStatesOnTheNextChainFromRouteDefault_inOrder(Pipeline pipeline)
      throws Exception {
    JsonNode root = asl(pipeline);
    JsonNode states = root.get("States");
    List<String> chain = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String name = states.get(root.get("StartAt").asText()).get("Default").asText();
    while (name != null && seen.add(name)) {
      JsonNode state = states.get(name);
      assertThat(state).as("state %s on the Next chain", name).isNotNull();
      if (state.get("Type").asText().equals("Task")) {
        chain.add(name);
      }
      name = state.hasNonNull("Next") ? state.get("Next").asText() : null;
    }
    assertThat(pipeline.steps()).extracting(Step::state).containsExactlyElementsOf(chain);
    assertThat(states.get(chain.get(chain.size() - 1)).path("End").asBoolean()).isTrue();
    for (Step step : pipeline.steps()) {
      assertThat(step.name()).isEqualTo(Step.wireName(step.state()));
      assertThat(states.get(step.state()).get("TimeoutSeconds").asInt())
          .isEqualTo(step.timeoutSeconds());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pipelines")
  void route_isAChoiceOnStartAt_withDefaultTheFirstStepAndARuleForEveryOtherStep(Pipeline pipeline)
      throws Exception {
    JsonNode root = asl(pipeline);
    JsonNode route = root.get("States").get("Route");
    assertThat(root.get("StartAt").asText()).isEqualTo("Route");
    assertThat(route.get("Type").asText()).isEqualTo("Choice");
    assertThat(route.get("Default").asText()).isEqualTo(pipeline.first().state());
    List<String> rules = new ArrayList<>();
    route
        .get("Choices")
        .forEach(c -> rules.add(c.get("StringEquals").asText() + " → " + c.get("Next").asText()));
    assertThat(rules)
        .containsExactlyElementsOf(
            pipeline.steps().stream().skip(1).map(s -> s.name() + " → " + s.state()).toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pipelines")
  void everyStep_sendsOnlyIds_retriesByPolicy_andCatchesRateLimitsIntoItsWaitRoute(
      Pipeline pipeline) throws Exception {
    JsonNode states = asl(pipeline).get("States");
    for (Step step : pipeline.steps()) {
      JsonNode task = states.get(step.state());
      JsonNode payload = task.path("Parameters").path("Payload");
      assertThat(payload.path("step").asText()).isEqualTo(step.name());
      assertThat(payload.path("rateLimitWaits.$").asText()).isEqualTo("$.rateLimitWaits");
      assertThat(task.path("Parameters").path("FunctionName").asText())
          .isEqualTo("${" + step.state() + "FunctionArn}");
      List<String> retried = new ArrayList<>();
      task.get("Retry").forEach(r -> r.get("ErrorEquals").forEach(e -> retried.add(e.asText())));
      assertThat(retried)
          .contains(
              "Lambda.ServiceException",
              "io.stepwise.steps.errors.TransientStepException",
              "States.Timeout",
              "io.stepwise.steps.errors.ModelOutputIncompleteException");
      assertThat(retried)
          .as("rate limits wait, they are never retried")
          .doesNotContain(
              "io.stepwise.steps.errors.RateLimitedException",
              "io.stepwise.steps.errors.RateLimitBudgetSpentException");

      JsonNode catches = task.get("Catch");
      assertThat(catches).hasSize(2);
      assertThat(catches.get(0).get("ErrorEquals").get(0).asText())
          .isEqualTo("io.stepwise.steps.errors.RateLimitedException");
      assertThat(catches.get(1).get("ErrorEquals").get(0).asText())
          .isEqualTo("io.stepwise.steps.errors.TerminalStepException");
      assertThat(catches.get(1).get("Next").asText()).isEqualTo("RecordFailure");

      // Catch → count (a Pass) → Wait (as long as the provider asked) → the step: no way from here
      // to RecordFailure.
      JsonNode count = states.get(catches.get(0).get("Next").asText());
      assertThat(count.get("Type").asText()).isEqualTo("Pass");
      assertThat(count.get("Output").asText()).contains("'" + step.name() + "'");
      JsonNode wait = states.get(count.get("Next").asText());
      assertThat(wait.get("Type").asText()).isEqualTo("Wait");
      assertThat(wait.get("SecondsPath").asText()).isEqualTo("$.rateLimitDelaySeconds");
      assertThat(wait.get("Next").asText()).isEqualTo(step.state());
    }
  }

  @Test
  void theOutput_isDeterministic_andSaysItIsGenerated() {
    Pipeline rules = RulesTestPipeline.pipelines().get(RulesTestPipeline.NAME);
    String once = AslGenerator.generate(rules, RulesTestPipeline.class.getName());
    assertThat(AslGenerator.generate(rules, RulesTestPipeline.class.getName())).isEqualTo(once);
    assertThat(once)
        .contains("Generated from " + RulesTestPipeline.class.getName())
        .contains(AslGenerator.REFRESH_COMMAND)
        .endsWith("}\n");
  }

  @Test
  void configuredRetryPolicies_landInTheGeneratedAsl_theStepsOwnOverThePipelines()
      throws Exception {
    Map<String, String> config =
        Map.of(
            "stepwise.pipelines.rules-test.retry.attempts", "5",
            "stepwise.pipelines.rules-test.retry.interval", "10s",
            "stepwise.pipelines.rules-test.retry.backoff-rate", "1.5",
            "stepwise.pipelines.rules-test.retry.max-delay", "2m",
            "stepwise.pipelines.rules-test.retry.jitter", "none",
            "stepwise.pipelines.rules-test.steps.summarise.retry.enabled", "false");
    Pipeline rules = configured(config);
    JsonNode states = asl(rules).get("States");

    JsonNode transientRetry =
        retrier(states.get("Gather"), "io.stepwise.steps.errors.TransientStepException")
            .orElseThrow();
    assertThat(transientRetry.get("MaxAttempts").asInt()).isEqualTo(5);
    assertThat(transientRetry.get("IntervalSeconds").asInt()).isEqualTo(10);
    assertThat(transientRetry.get("BackoffRate").asDouble()).isEqualTo(1.5);
    assertThat(transientRetry.get("MaxDelaySeconds").asInt()).isEqualTo(120);
    assertThat(transientRetry.get("JitterStrategy").asText()).isEqualTo("NONE");
    assertThat(retrier(states.get("Summarise"), "io.stepwise.steps.errors.TransientStepException"))
        .as("automatic retry off for summarise")
        .isEmpty();
    assertThat(
            retrier(
                states.get("Summarise"), "io.stepwise.steps.errors.ModelOutputIncompleteException"))
        .isEmpty();
    assertThat(retrier(states.get("Summarise"), "Lambda.ServiceException"))
        .as("the Lambda service's errors, always")
        .isPresent();
    assertThat(rules.retryDelay(rules.require("gather"), "TransientStepException", 2))
        .contains(Duration.ofSeconds(15));
    assertThat(rules.retryDelay(rules.require("summarise"), "TransientStepException", 1)).isEmpty();
  }

  @Test
  void theDefaults_areThePlatformsRetryPolicy() throws Exception {
    JsonNode retry =
        retrier(
                asl(RulesTestPipeline.pipelines().get(RulesTestPipeline.NAME))
                    .get("States")
                    .get("Gather"),
                "io.stepwise.steps.errors.TransientStepException")
            .orElseThrow();
    assertThat(retry.toString())
        .isEqualTo(
            "{\"ErrorEquals\":[\"io.stepwise.steps.errors.TransientStepException\","
                + "\"States.Timeout\"],\"IntervalSeconds\":30,\"MaxAttempts\":3,\"BackoffRate\":2,\"MaxDelaySeconds\":300,"
                + "\"JitterStrategy\":\"FULL\"}");
  }

  @Test
  void invalidRetryConfiguration_isRefusedNamingTheKeyAndWhatItAllows() {
    record Case(String key, String value, String allowed) {}
    for (Case c :
        List.of(
            new Case("retry.attempts", "eleven", "a whole number from 0 to 10"),
            new Case("retry.attempts", "11", "a whole number from 0 to 10"),
            new Case("retry.interval", "0s", "from 1 s to 3600 s"),
            new Case("retry.interval", "1500ms", "whole seconds"),
            new Case("retry.backoff-rate", "0.5", "a number from 1.0 to 10"),
            new Case("retry.max-delay", "2d", "from 1 s to 86400 s"),
            new Case("retry.jitter", "SOME", "FULL or NONE"),
            new Case("retry.enabled", "yes", "true or false"),
            new Case("steps.gather.retry.rate-limit-waits", "-1", "a whole number from 0 to 50"))) {
      String key = "stepwise.pipelines.rules-test." + c.key();
      assertThatThrownBy(() -> configured(Map.of(key, c.value())))
          .as(key + "=" + c.value())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(key)
          .hasMessageContaining(c.allowed())
          .hasMessageContaining("'" + c.value() + "'");
    }
  }

  @Test
  void aRateLimitWait_lastsAsLongAsItsErrorNames_andTheBudgetIsThePolicys() {
    Pipeline rules = RulesTestPipeline.pipelines().get(RulesTestPipeline.NAME);
    Step gather = rules.require("gather");
    TaskError limited =
        new TaskError(
            "gather", "RateLimitedException", "HTTP 429 from local-gpt (retry after 40 s)");
    assertThat(rules.retryDelay(gather, limited, 1)).contains(Duration.ofSeconds(40));
    assertThat(rules.retryDelay(gather, limited, 5))
        .as("the fifth wait")
        .contains(Duration.ofSeconds(40));
    assertThat(rules.retryDelay(gather, limited, 6)).as("out of waits").isEmpty();
    assertThat(
            rules.retryDelay(
                gather, new TaskError("gather", "RateLimitedException", "no delay named"), 1))
        .contains(Duration.ofSeconds(60));
    assertThat(
            rules.retryDelay(
                gather, new TaskError("gather", "RateLimitBudgetSpentException", "spent"), 1))
        .as("the budget spent fails at the step")
        .isEmpty();
    Pipeline fewer =
        configured(Map.of("stepwise.pipelines.rules-test.retry.rate-limit-waits", "2"));
    assertThat(fewer.retryDelay(fewer.require("gather"), limited, 3)).isEmpty();
  }

  @Test
  void definitionsThatCannotBeAWorkflow_failToLoad() {
    assertThatThrownBy(() -> Pipelines.of(List.of(definition("rules-test", "gather", "gather"))))
        .hasMessageContaining("declares step gather twice");
    assertThatThrownBy(() -> Pipelines.of(List.of(definition("two", "a"), definition("two", "b"))))
        .hasMessageContaining("two pipelines are named two");
    assertThatThrownBy(() -> Pipelines.of(List.of(definition("Not_Kebab", "a"))))
        .hasMessageContaining("kebab-case");
    assertThatThrownBy(() -> definition("x", "WriteReport").functions())
        .hasMessageContaining("snake_case");
    assertThatThrownBy(
            () -> new PipelineDefinition.StepHandler("a", "f", Object.class, 512, false, 901))
        .hasMessageContaining("timeoutSeconds must be from 1 to 900");
  }

  private static Pipeline configured(Map<String, String> config) {
    return Pipelines.installedFrom(
            List.of(new RulesTestPipeline()), key -> Optional.ofNullable(config.get(key)))
        .get(RulesTestPipeline.NAME);
  }

  private static Optional<JsonNode> retrier(JsonNode task, String error) {
    for (JsonNode r : task.get("Retry")) {
      for (JsonNode e : r.get("ErrorEquals")) {
        if (e.asText().equals(error)) {
          return Optional.of(r);
        }
      }
    }
    return Optional.empty();
  }

  private static PipelineDefinition definition(String name, String... steps) {
    return new PipelineDefinition() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String aslFile() {
        return "none";
      }

      @Override
      public List<StepHandler> functions() {
        return Stream.of(steps)
            .map(s -> new StepHandler(s, "fn-" + s, Object.class, 512, false))
            .toList();
      }
    };
  }
}
