package io.stepwise.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.catalog.Handler;
import io.stepwise.catalog.Handlers;
import io.stepwise.model.Pipeline;
import io.stepwise.workflow.AslGenerator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stack follows the catalogue: one Lambda function per catalogue entry, one state machine per
 * pipeline, each state machine allowed to invoke exactly its own pipeline's functions and
 * record-failure. Checked on the stack as deployed (the installed pipelines) and with a second
 * pipeline ({@link EchoPipeline}) beside them.
 */
class PipelinesStackTest {

  private static SynthesizedStack installed;
  private static SynthesizedStack twoPipelines;

  @BeforeAll
  static void synthesise() {
    installed = SynthesizedStack.defaults();
    twoPipelines = SynthesizedStack.withEchoPipeline();
  }

  private static List<SynthesizedStack> stacks() {
    return List.of(installed, twoPipelines);
  }

  @Test
  void theSecondPipeline_addsItsStepsToTheCatalogue() {
    assertThat(twoPipelines.catalogue().pipelines())
        .extracting(Pipeline::name)
        .containsExactlyInAnyOrder("paper-digest", "research-report", EchoPipeline.NAME);
    assertThat(twoPipelines.catalogue().functions())
        .extracting(Handler::functionName)
        .containsExactlyInAnyOrderElementsOf(
            concat(
                installed.catalogue().functions().stream().map(Handler::functionName).toList(),
                List.of("echo-draft", "echo-deliver")));
  }

  @Test
  void exactlyOneFunctionPerCatalogueEntry_underItsFunctionNamesConstructId() {
    for (SynthesizedStack synth : stacks()) {
      List<Handler> catalogue = synth.catalogue().functions();
      synth.template.resourceCountIs("AWS::Lambda::Function", catalogue.size());
      List<String> handlerStrings = new ArrayList<>();
      for (String function : synth.ofType("AWS::Lambda::Function")) {
        handlerStrings.add(synth.properties(function).path("Handler").asText());
      }
      assertThat(handlerStrings)
          .containsExactlyInAnyOrderElementsOf(catalogue.stream().map(Handler::className).toList());
      for (Handler handler : catalogue) {
        // Construct <functionName>/Function, as before the catalogue: the logical ids stay.
        assertThat(synth.function(handler))
            .as("%s", handler.functionName())
            .startsWith(handler.functionName().replace("-", "") + "Function");
        assertThat(synth.properties(synth.function(handler)).path("MemorySize").asInt())
            .as("%s memory", handler.functionName())
            .isEqualTo(handler.memoryMb());
      }
    }
  }

  @Test
  void exactlyOneStateMachinePerPipeline_namedToTheApi() {
    for (SynthesizedStack synth : stacks()) {
      List<String> pipelines = synth.catalogue().pipelines().stream().map(Pipeline::name).toList();
      List<String> machines = synth.ofType("AWS::StepFunctions::StateMachine");
      assertThat(machines).hasSize(pipelines.size());
      Map<String, String> byPipeline = synth.stateMachinesByPipeline();
      assertThat(byPipeline.keySet()).containsExactlyInAnyOrderElementsOf(pipelines);
      assertThat(byPipeline.values()).containsExactlyInAnyOrderElementsOf(machines);
    }
    assertThat(twoPipelines.stateMachinesByPipeline().get("paper-digest"))
        .startsWith("WorkflowStateMachine");
    assertThat(twoPipelines.stateMachinesByPipeline().get(EchoPipeline.NAME))
        .startsWith("WorkflowechoStateMachine");
  }

  @Test
  void eachStateMachine_runsItsPipelinesAsl() throws Exception {
    for (Pipeline pipeline : twoPipelines.catalogue().pipelines()) {
      DeployedDefinitionTest.assertDeployed(
          twoPipelines,
          pipeline,
          twoPipelines.stateMachinesByPipeline().get(pipeline.name()),
          AslGenerator.generate(
              pipeline, twoPipelines.catalogue().definitionClass(pipeline.name())));
    }
  }

  @Test
  void
      eachStateMachinesRole_invokesExactlyItsPipelinesFunctions_theReviewIfItHasOne_andRecordFailure() {
    for (SynthesizedStack synth : stacks()) {
      Handlers handlers = synth.catalogue().handlers();
      for (Map.Entry<String, String> machine : synth.stateMachinesByPipeline().entrySet()) {
        List<String> expected = new ArrayList<>();
        handlers.steps(machine.getKey()).forEach(step -> expected.add(synth.liveAlias(step)));
        if (!machine.getKey().equals("echo")) { // the test pipeline has no review step
          expected.add(synth.liveAlias(handlers.named(Handlers.REVIEW)));
        }
        expected.add(synth.liveAlias(handlers.named(Handlers.RECORD_FAILURE)));
        assertThat(StepwiseStackIamTest.invokableAliases(synth, machine.getValue()))
            .as("%s may invoke", machine.getKey())
            .containsExactlyInAnyOrderElementsOf(expected);
      }
    }
    // And so echo's role cannot invoke a digest step, nor the digest's an echo step.
    SynthesizedStack synth = twoPipelines;
    assertThat(
            StepwiseStackIamTest.invokableAliases(
                synth, synth.stateMachinesByPipeline().get(EchoPipeline.NAME)))
        .containsExactlyInAnyOrder(
            synth.liveAlias(synth.handler("echo-draft")),
            synth.liveAlias(synth.handler("echo-deliver")),
            synth.liveAlias(synth.handler(Handlers.RECORD_FAILURE)));
  }

  @Test
  void eachStateMachine_logsIntoItsOwnLogGroupAndRunsAsItsOwnRole() {
    Set<String> logGroups = new HashSet<>();
    Set<String> roles = new HashSet<>();
    for (String machine : twoPipelines.ofType("AWS::StepFunctions::StateMachine")) {
      JsonNode props = twoPipelines.properties(machine);
      assertThat(props.path("StateMachineType").asText()).isEqualTo("STANDARD");
      assertThat(props.path("TracingConfiguration").path("Enabled").asBoolean()).isTrue();
      JsonNode logging = props.path("LoggingConfiguration");
      assertThat(logging.path("Level").asText()).isEqualTo("ALL");
      assertThat(logging.path("IncludeExecutionData").asBoolean()).isFalse();
      logGroups.add(
          logging
              .path("Destinations")
              .path(0)
              .path("CloudWatchLogsLogGroup")
              .path("LogGroupArn")
              .path("Fn::GetAtt")
              .path(0)
              .asText());
      roles.add(twoPipelines.roleOfStateMachine(machine));
    }
    assertThat(logGroups).hasSize(3).doesNotContain("");
    assertThat(roles).hasSize(3).doesNotContain("");
  }

  @Test
  void
      theApi_controlsTheExecutionsOfEveryPipelinesStateMachine_andNoOtherFunctionDoesMoreThanDescribe() {
    StepwiseStackIamTest.assertOnlyTheApiControlsExecutionsOfEachStateMachine(twoPipelines);
  }

  @Test
  void executionEvents_hearEveryStateMachine() {
    List<String> patterned =
        twoPipelines.ofType("AWS::Events::Rule").stream()
            .filter(id -> twoPipelines.properties(id).has("EventPattern"))
            // the other patterned rule is the model health changes' (AlertAlarmsTest)
            .filter(
                id ->
                    SynthesizedStack.strings(
                            twoPipelines.properties(id).path("EventPattern").path("source"))
                        .contains("aws.states"))
            .toList();
    assertThat(patterned).hasSize(1);
    JsonNode rule = twoPipelines.properties(patterned.get(0));
    List<String> matched = new ArrayList<>();
    rule.path("EventPattern")
        .path("detail")
        .path("stateMachineArn")
        .forEach(arn -> matched.add(arn.path("Ref").asText()));
    assertThat(matched)
        .containsExactlyInAnyOrderElementsOf(twoPipelines.stateMachinesByPipeline().values());
    assertThat(rule.path("Targets").path(0).path("Arn").path("Ref").asText())
        .isEqualTo(twoPipelines.liveAlias(twoPipelines.handler(Handlers.EXECUTION_EVENTS)));
  }

  @Test
  void everyStateMachine_hasAFailedExecutionsAlarm() {
    List<String> alarmed = new ArrayList<>();
    for (String alarm : twoPipelines.ofType("AWS::CloudWatch::Alarm")) {
      JsonNode props = twoPipelines.properties(alarm);
      if (props.path("MetricName").asText().equals("ExecutionsFailed")) {
        assertThat(props.path("Dimensions").path(0).path("Name").asText())
            .isEqualTo("StateMachineArn");
        alarmed.add(props.path("Dimensions").path(0).path("Value").path("Ref").asText());
      }
    }
    assertThat(alarmed)
        .containsExactlyInAnyOrderElementsOf(twoPipelines.stateMachinesByPipeline().values());
    // Nine of the installed stack (one per pipeline, health check, API 5xx, five alert rules)
    // became ten.
    twoPipelines.template.resourceCountIs("AWS::CloudWatch::Alarm", 10);
  }

  @Test
  void theFirstPipelinesOutput_keepsItsName_andStateMachineArnsNamesEvery() {
    JsonNode outputs =
        new ObjectMapper().valueToTree(twoPipelines.template.toJSON()).path("Outputs");
    assertThat(outputs.path("StateMachineArn").path("Value").path("Ref").asText())
        .isEqualTo(twoPipelines.stateMachinesByPipeline().get("paper-digest"));
    assertThat(SynthesizedStack.render(outputs.path("StateMachineArns").path("Value")))
        .isEqualTo(
            SynthesizedStack.render(
                variables(Handlers.API).path(StepwiseStack.STATE_MACHINE_ARNS_VARIABLE)));
  }

  @Test
  void
      recordFailure_stopsBeforeTheShortestRecordFailureStateOfAnyPipeline_andEachStepBeforeItsOwnState() {
    // Every generated RecordFailure allows 60 s; echo's steps declare 200 s and 90 s.
    assertThat(timeout(Handlers.RECORD_FAILURE))
        .isEqualTo(60 - Catalogue.STATE_TIMEOUT_MARGIN_SECONDS);
    assertThat(timeout("echo-draft")).isEqualTo(200 - Catalogue.STATE_TIMEOUT_MARGIN_SECONDS);
    assertThat(timeout("echo-deliver")).isEqualTo(90 - Catalogue.STATE_TIMEOUT_MARGIN_SECONDS);
  }

  @Test
  void aNewPipelinesSteps_getTaskAndBlobAccess_butNoModelKeys() {
    Map<String, Set<String>> expected = new HashMap<>();
    for (String name :
        List.of(
            "fetch-papers",
            "render-images",
            "build-payload",
            "publish",
            "record-failure",
            "review",
            "echo-draft",
            "echo-deliver",
            "report-gather",
            "report-deliver")) {
      expected.put(name, Set.of("TASK#*"));
    }
    for (String name :
        List.of("analyze", "report-plan", "report-write-sections", "report-write-report")) {
      expected.put(name, Set.of("TASK#*", "MODEL#*", "USAGE#*"));
    }
    expected.put(Handlers.HEALTH_CHECK, Set.of("MODEL#*", "ALERT#*"));
    expected.put(Handlers.ALERTS, Set.of("MODEL#*", "ALERT#*"));
    expected.put(Handlers.RECONCILER, Set.of("TASK#*", "BATCH#*"));
    expected.put(Handlers.EXECUTION_EVENTS, Set.of("TASK#*", "BATCH#*"));
    expected.put(Handlers.API, Set.of("TASK#*", "BATCH#*", "MODEL#*", "USAGE#*", "ALERT#*"));
    StepwiseStackIamTest.assertPartitions(twoPipelines, expected);
    StepwiseStackIamTest.assertBlobAccess(twoPipelines);
    StepwiseStackIamTest.assertSecretReaders(
        twoPipelines,
        List.of(
            "analyze",
            "report-plan",
            "report-write-sections",
            "report-write-report",
            Handlers.HEALTH_CHECK));
    for (Handler handler : twoPipelines.catalogue().functions()) {
      boolean keys = variables(handler.functionName()).has(StepwiseStack.secretVariable("openai"));
      assertThat(keys)
          .as("%s knows the model key secret", handler.functionName())
          .isEqualTo(
              List.of(
                      "analyze",
                      "report-plan",
                      "report-write-sections",
                      "report-write-report",
                      Handlers.HEALTH_CHECK)
                  .contains(handler.functionName()));
    }
  }

  private static JsonNode variables(String functionName) {
    return twoPipelines
        .properties(twoPipelines.function(twoPipelines.handler(functionName)))
        .path("Environment")
        .path("Variables");
  }

  private static int timeout(String functionName) {
    return twoPipelines
        .properties(twoPipelines.function(twoPipelines.handler(functionName)))
        .path("Timeout")
        .asInt();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
