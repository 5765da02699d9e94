package io.stepwise.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepwise.catalog.Handler;
import io.stepwise.catalog.Handlers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Least privilege, read from the synthesised identity policies. */
class StepwiseStackIamTest {

  /**
   * Actions that support no resource-level permission, so "*" is the only possible resource:
   * CloudWatch Logs delivery setup and X-Ray segments, which CDK grants the state machine for
   * logging and tracing.
   */
  private static final Set<String> ONLY_STAR_RESOURCE =
      Set.of(
          "logs:CreateLogDelivery",
          "logs:GetLogDelivery",
          "logs:UpdateLogDelivery",
          "logs:DeleteLogDelivery",
          "logs:ListLogDeliveries",
          "logs:PutResourcePolicy",
          "logs:DescribeResourcePolicies",
          "logs:DescribeLogGroups",
          "xray:PutTraceSegments",
          "xray:PutTelemetryRecords",
          "xray:GetSamplingRules",
          "xray:GetSamplingTargets");

  private static SynthesizedStack synth;

  @BeforeAll
  static void synthesise() {
    synth = SynthesizedStack.defaults();
  }

  @Test
  void noStatementAllowsEveryAction_norEveryResourceWhereAnArnIsKnown() {
    List<Map.Entry<String, JsonNode>> statements = synth.allStatements();
    assertThat(statements).isNotEmpty();
    for (Map.Entry<String, JsonNode> entry : statements) {
      JsonNode s = entry.getValue();
      assertThat(s.path("Effect").asText()).as("%s: %s", entry.getKey(), s).isEqualTo("Allow");
      assertThat(s.has("NotAction") || s.has("NotResource"))
          .as("%s: %s", entry.getKey(), s)
          .isFalse();
      List<String> actions = SynthesizedStack.strings(s.path("Action"));
      assertThat(actions)
          .as("%s: %s", entry.getKey(), s)
          .isNotEmpty()
          .allSatisfy(a -> assertThat(a).doesNotContain("*"));
      if (SynthesizedStack.strings(s.path("Resource")).contains("*")) {
        assertThat(actions)
            .as(
                "%s: Resource * only for actions without resource-level permissions",
                entry.getKey())
            .isSubsetOf(ONLY_STAR_RESOURCE);
      }
    }
  }

  @Test
  void rolesHaveNoManagedPolicies() {
    for (String role : synth.ofType("AWS::IAM::Role")) {
      assertThat(synth.properties(role).has("ManagedPolicyArns")).as(role).isFalse();
    }
  }

  @Test
  void stateMachine_mayInvokeOnlyItsSevenAliases() {
    String machine = synth.stateMachinesByPipeline().get("paper-digest");
    assertThat(invokableAliases(synth, machine))
        .hasSize(7)
        .containsExactlyInAnyOrderElementsOf(
            List.of(
                    "fetch-papers",
                    "analyze",
                    "render-images",
                    "build-payload",
                    "publish",
                    "review",
                    "record-failure")
                .stream()
                .map(name -> synth.liveAlias(synth.handler(name)))
                .toList());
  }

  @Test
  void theReportsStateMachine_mayInvokeOnlyItsOwnSevenAliases() {
    String machine = synth.stateMachinesByPipeline().get("research-report");
    assertThat(invokableAliases(synth, machine))
        .hasSize(7)
        .containsExactlyInAnyOrderElementsOf(
            List.of(
                    "report-plan",
                    "report-gather",
                    "report-write-sections",
                    "report-write-report",
                    "report-deliver",
                    "review",
                    "record-failure")
                .stream()
                .map(name -> synth.liveAlias(synth.handler(name)))
                .toList());
  }

  /**
   * The aliases the state machine's role may invoke: one lambda:InvokeFunction statement, and
   * besides it only log delivery and tracing.
   */
  static List<String> invokableAliases(SynthesizedStack synth, String machine) {
    String role = synth.roleOfStateMachine(machine);
    List<JsonNode> lambda =
        synth.statementsOf(role).stream()
            .filter(
                s ->
                    SynthesizedStack.strings(s.path("Action")).stream()
                        .anyMatch(a -> a.startsWith("lambda:")))
            .toList();
    assertThat(lambda).as(machine).hasSize(1);
    assertThat(SynthesizedStack.strings(lambda.get(0).path("Action")))
        .containsExactly("lambda:InvokeFunction");
    List<String> resources = new ArrayList<>();
    lambda.get(0).path("Resource").forEach(r -> resources.add(r.path("Ref").asText()));
    assertThat(
            synth.statementsOf(role).stream()
                .flatMap(s -> SynthesizedStack.strings(s.path("Action")).stream())
                .filter(a -> !a.startsWith("lambda:")))
        .as("%s besides invoking: only log delivery and tracing", machine)
        .isSubsetOf(ONLY_STAR_RESOURCE);
    return resources;
  }

  @Test
  void
      onlyTheApi_controlsExecutions_andOnlyOfTheStateMachines_theReconcilerDescribesAndStarts_executionEventsStarts() {
    assertOnlyTheApiControlsExecutionsOfEachStateMachine(synth);
  }

  /**
   * Every states: action is the api's, on one of the stack's state machines, and each machine gets
   * all five.
   */
  static void assertOnlyTheApiControlsExecutionsOfEachStateMachine(SynthesizedStack synth) {
    List<String> machines = synth.ofType("AWS::StepFunctions::StateMachine");
    String apiRole = synth.roleOf(synth.handler(Handlers.API));
    String reconcilerRole = synth.roleOf(synth.handler(Handlers.RECONCILER));
    String eventsRole = synth.roleOf(synth.handler(Handlers.EXECUTION_EVENTS));
    Map<String, List<String>> apiStates = new HashMap<>();
    Map<String, List<String>> reconcilerStates = new HashMap<>();
    Map<String, List<String>> eventsStates = new HashMap<>();
    for (Map.Entry<String, JsonNode> e : synth.allStatements()) {
      List<String> states =
          SynthesizedStack.strings(e.getValue().path("Action")).stream()
              .filter(a -> a.startsWith("states:"))
              .toList();
      if (states.isEmpty()) {
        continue;
      }
      if (e.getKey().equals(reconcilerRole)) {
        assertThat(states)
            .as("the reconciler describes executions and starts a stranded task's, nothing more")
            .isIn(List.of("states:DescribeExecution"), List.of("states:StartExecution"));
        String resource = e.getValue().path("Resource").toString();
        List<String> on = machines.stream().filter(resource::contains).toList();
        assertThat(on).as(resource).hasSize(1);
        reconcilerStates.computeIfAbsent(on.get(0), m -> new ArrayList<>()).addAll(states);
        continue;
      }
      if (e.getKey().equals(eventsRole)) {
        assertThat(states)
            .as("execution-events starts a batch's next task, nothing more")
            .isEqualTo(List.of("states:StartExecution"));
        String resource = e.getValue().path("Resource").toString();
        List<String> on = machines.stream().filter(resource::contains).toList();
        assertThat(on).as(resource).hasSize(1);
        eventsStates.computeIfAbsent(on.get(0), m -> new ArrayList<>()).addAll(states);
        continue;
      }
      assertThat(e.getKey()).as("role allowed %s", states).isEqualTo(apiRole);
      String resource = e.getValue().path("Resource").toString();
      List<String> on = machines.stream().filter(resource::contains).toList();
      assertThat(on).as("%s on one state machine of the stack: %s", states, resource).hasSize(1);
      apiStates.computeIfAbsent(on.get(0), m -> new ArrayList<>()).addAll(states);
    }
    assertThat(apiStates).containsOnlyKeys(machines);
    assertThat(reconcilerStates).containsOnlyKeys(machines);
    assertThat(eventsStates).containsOnlyKeys(machines);
    reconcilerStates.forEach(
        (machine, states) ->
            assertThat(states)
                .as(machine)
                .containsExactlyInAnyOrder("states:DescribeExecution", "states:StartExecution"));
    apiStates.forEach(
        (machine, states) ->
            assertThat(states)
                .as(machine)
                .containsExactlyInAnyOrder(
                    "states:StartExecution",
                    "states:ListExecutions",
                    "states:StopExecution",
                    "states:DescribeExecution",
                    "states:RedriveExecution",
                    // review decisions and cancels answer the Review state's task token
                    "states:SendTaskSuccess",
                    "states:SendTaskFailure"));
  }

  @Test
  void modelSecrets_areReadableOnlyByTheModelStepsAndHealthCheck() {
    assertSecretReaders(
        synth,
        List.of(
            "analyze",
            "report-plan",
            "report-write-sections",
            "report-write-report",
            Handlers.HEALTH_CHECK));
  }

  /** Exactly these functions read the model secrets (and only read them). */
  static void assertSecretReaders(SynthesizedStack synth, List<String> functionNames) {
    Set<String> secrets = Set.copyOf(synth.ofType("AWS::SecretsManager::Secret"));
    assertThat(secrets).hasSize(StackConfig.defaults().models().size());
    Set<String> readers =
        synth.allStatements().stream()
            .filter(
                e ->
                    SynthesizedStack.strings(e.getValue().path("Action")).stream()
                        .anyMatch(a -> a.startsWith("secretsmanager:")))
            .peek(
                e ->
                    assertThat(SynthesizedStack.strings(e.getValue().path("Action")))
                        .containsExactlyInAnyOrder(
                            "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"))
            .peek(
                e ->
                    assertThat(secrets)
                        .contains(e.getValue().path("Resource").path("Ref").asText()))
            .map(Map.Entry::getKey)
            .collect(Collectors.toSet());
    assertThat(readers)
        .containsExactlyInAnyOrderElementsOf(
            functionNames.stream().map(name -> synth.roleOf(synth.handler(name))).toList());
  }

  @Test
  void eachFunction_reachesOnlyTheTablePartitionsItOwns() {
    Map<String, Set<String>> expected = new HashMap<>();
    for (String name :
        List.of(
            "fetch-papers",
            "render-images",
            "build-payload",
            "publish",
            "record-failure",
            "review",
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
    assertPartitions(synth, expected);
  }

  /**
   * Each function's table statements: no scan, delete or batch; LeadingKeys exactly the expected
   * partitions.
   */
  static void assertPartitions(SynthesizedStack synth, Map<String, Set<String>> expected) {
    assertThat(synth.catalogue().functions())
        .extracting(Handler::functionName)
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (Handler handler : synth.catalogue().functions()) {
      Set<String> partitions = new HashSet<>();
      for (JsonNode s : synth.statementsOf(synth.roleOf(handler))) {
        List<String> actions = SynthesizedStack.strings(s.path("Action"));
        if (actions.stream().noneMatch(a -> a.startsWith("dynamodb:"))) {
          continue;
        }
        assertThat(actions)
            .as("%s never scans, deletes or batches", handler.functionName())
            .doesNotContain(
                "dynamodb:Scan",
                "dynamodb:DeleteItem",
                "dynamodb:BatchWriteItem",
                "dynamodb:DeleteTable",
                "dynamodb:UpdateTable");
        JsonNode leading =
            s.path("Condition").path("ForAllValues:StringLike").path("dynamodb:LeadingKeys");
        if (leading.isMissingNode()) {
          // Without a key condition only reads that carry no item key: the priming DescribeTable,
          // and the
          // api's, the reconciler's, execution-events' and the alerts' queries of the read-only
          // indexes.
          boolean indexReader =
              handler.functionName().equals(Handlers.API)
                  || handler.functionName().equals(Handlers.RECONCILER)
                  || handler.functionName().equals(Handlers.EXECUTION_EVENTS)
                  || handler.functionName().equals(Handlers.ALERTS);
          boolean indexQuery =
              indexReader
                  && actions.equals(List.of("dynamodb:Query"))
                  && s.path("Resource").toString().contains("/index/");
          assertThat(indexQuery || actions.equals(List.of("dynamodb:DescribeTable")))
              .as("%s statement without LeadingKeys: %s", handler.functionName(), s)
              .isTrue();
        } else {
          partitions.addAll(SynthesizedStack.strings(leading));
        }
      }
      assertThat(partitions)
          .as("%s partitions", handler.functionName())
          .isEqualTo(expected.get(handler.functionName()));
    }
  }

  @Test
  void onlyStepsWriteBlobs_andTheApiOnlyReadsThem() {
    assertThat(
            synth.catalogue().functions().stream()
                .filter(Handler::isStep)
                .map(Handler::functionName))
        .containsExactlyInAnyOrder(
            "fetch-papers",
            "analyze",
            "render-images",
            "build-payload",
            "publish",
            "report-plan",
            "report-gather",
            "report-write-sections",
            "report-write-report",
            "report-deliver");
    assertBlobAccess(synth);
  }

  /**
   * Steps get and put blobs, the api only gets them (checkpoint outputs, and the presigned image
   * links it signs with its role need exactly that), no other function touches the bucket.
   */
  static void assertBlobAccess(SynthesizedStack synth) {
    for (Handler handler : synth.catalogue().functions()) {
      List<String> s3 =
          synth.statementsOf(synth.roleOf(handler)).stream()
              .flatMap(s -> SynthesizedStack.strings(s.path("Action")).stream())
              .filter(a -> a.startsWith("s3:"))
              .toList();
      if (handler.isStep()) {
        assertThat(s3)
            .as("%s", handler.functionName())
            .containsExactlyInAnyOrder("s3:GetObject", "s3:PutObject");
      } else if (handler.functionName().equals(Handlers.API)) {
        assertThat(s3).as("%s", handler.functionName()).containsExactly("s3:GetObject");
      } else {
        assertThat(s3).as("%s", handler.functionName()).isEmpty();
      }
    }
  }
}
