package io.stepwise.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Least privilege, read from the synthesised identity policies. */
class StepwiseStackIamTest {

  /**
   * Actions that support no resource-level permission, so "*" is the only possible resource: CloudWatch Logs
   * delivery setup and X-Ray segments, which CDK grants the state machine for logging and tracing.
   */
  private static final Set<String> ONLY_STAR_RESOURCE = Set.of(
      "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
      "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies",
      "logs:DescribeLogGroups", "xray:PutTraceSegments", "xray:PutTelemetryRecords",
      "xray:GetSamplingRules", "xray:GetSamplingTargets");

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
      assertThat(s.has("NotAction") || s.has("NotResource")).as("%s: %s", entry.getKey(), s).isFalse();
      List<String> actions = SynthesizedStack.strings(s.path("Action"));
      assertThat(actions).as("%s: %s", entry.getKey(), s).isNotEmpty()
          .allSatisfy(a -> assertThat(a).doesNotContain("*"));
      if (SynthesizedStack.strings(s.path("Resource")).contains("*")) {
        assertThat(actions).as("%s: Resource * only for actions without resource-level permissions", entry.getKey())
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
  void stateMachine_mayInvokeOnlyTheSixAliases() {
    String role = synth.properties(synth.ofType("AWS::StepFunctions::StateMachine").get(0))
        .path("RoleArn").path("Fn::GetAtt").path(0).asText();
    List<JsonNode> lambda = synth.statementsOf(role).stream()
        .filter(s -> SynthesizedStack.strings(s.path("Action")).stream().anyMatch(a -> a.startsWith("lambda:")))
        .toList();
    assertThat(lambda).hasSize(1);
    assertThat(SynthesizedStack.strings(lambda.get(0).path("Action"))).containsExactly("lambda:InvokeFunction");
    List<String> resources = new ArrayList<>();
    lambda.get(0).path("Resource").forEach(r -> resources.add(r.path("Ref").asText()));
    assertThat(resources).hasSize(6).containsExactlyInAnyOrderElementsOf(
        Handler.invokedByStateMachine().stream().map(synth::liveAlias).toList());
    assertThat(synth.statementsOf(role).stream()
            .flatMap(s -> SynthesizedStack.strings(s.path("Action")).stream())
            .filter(a -> !a.startsWith("lambda:")))
        .as("besides invoking: only log delivery and tracing")
        .isSubsetOf(ONLY_STAR_RESOURCE);
  }

  @Test
  void onlyTheApi_controlsExecutions_andOnlyOfThisStateMachine() {
    String machine = synth.ofType("AWS::StepFunctions::StateMachine").get(0);
    String apiRole = synth.roleOf(Handler.API);
    List<String> apiStates = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : synth.allStatements()) {
      List<String> states = SynthesizedStack.strings(e.getValue().path("Action")).stream()
          .filter(a -> a.startsWith("states:")).toList();
      if (states.isEmpty()) {
        continue;
      }
      assertThat(e.getKey()).as("role allowed %s", states).isEqualTo(apiRole);
      apiStates.addAll(states);
      String resource = e.getValue().path("Resource").toString();
      assertThat(resource).as("%s on this state machine", states).contains(machine);
    }
    assertThat(apiStates).containsExactlyInAnyOrder("states:StartExecution", "states:ListExecutions",
        "states:StopExecution", "states:DescribeExecution", "states:RedriveExecution");
  }

  @Test
  void modelSecrets_areReadableOnlyByAnalyzeAndHealthCheck() {
    Set<String> secrets = Set.copyOf(synth.ofType("AWS::SecretsManager::Secret"));
    assertThat(secrets).hasSize(StackConfig.defaults().models().size());
    Set<String> readers = synth.allStatements().stream()
        .filter(e -> SynthesizedStack.strings(e.getValue().path("Action")).stream()
            .anyMatch(a -> a.startsWith("secretsmanager:")))
        .peek(e -> assertThat(SynthesizedStack.strings(e.getValue().path("Action")))
            .containsExactlyInAnyOrder("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"))
        .peek(e -> assertThat(secrets).contains(e.getValue().path("Resource").path("Ref").asText()))
        .map(Map.Entry::getKey)
        .collect(Collectors.toSet());
    assertThat(readers).containsExactlyInAnyOrder(synth.roleOf(Handler.ANALYZE), synth.roleOf(Handler.HEALTH_CHECK));
  }

  @Test
  void eachFunction_reachesOnlyTheTablePartitionsItOwns() {
    Map<Handler, Set<String>> expected = new java.util.EnumMap<>(Handler.class);
    for (Handler h : EnumSet.of(Handler.FETCH_PAPERS, Handler.RENDER_IMAGES, Handler.BUILD_PAYLOAD,
        Handler.PUBLISH, Handler.RECORD_FAILURE, Handler.EXECUTION_EVENTS)) {
      expected.put(h, Set.of("TASK#*"));
    }
    expected.put(Handler.ANALYZE, Set.of("TASK#*", "MODEL#*"));
    expected.put(Handler.HEALTH_CHECK, Set.of("MODEL#*"));
    expected.put(Handler.API, Set.of("TASK#*", "BATCH#*", "MODEL#*"));

    for (Handler handler : Handler.values()) {
      Set<String> partitions = new java.util.HashSet<>();
      for (JsonNode s : synth.statementsOf(synth.roleOf(handler))) {
        List<String> actions = SynthesizedStack.strings(s.path("Action"));
        if (actions.stream().noneMatch(a -> a.startsWith("dynamodb:"))) {
          continue;
        }
        assertThat(actions).as("%s never scans, deletes or batches", handler)
            .doesNotContain("dynamodb:Scan", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
                "dynamodb:DeleteTable", "dynamodb:UpdateTable");
        JsonNode leading = s.path("Condition").path("ForAllValues:StringLike").path("dynamodb:LeadingKeys");
        if (leading.isMissingNode()) {
          // Without a key condition only reads that carry no item key: the priming DescribeTable, and the
          // api's queries of the read-only indexes.
          boolean indexQuery = handler == Handler.API && actions.equals(List.of("dynamodb:Query"))
              && s.path("Resource").toString().contains("/index/");
          assertThat(indexQuery || actions.equals(List.of("dynamodb:DescribeTable")))
              .as("%s statement without LeadingKeys: %s", handler, s).isTrue();
        } else {
          partitions.addAll(SynthesizedStack.strings(leading));
        }
      }
      assertThat(partitions).as("%s partitions", handler).isEqualTo(expected.get(handler));
    }
  }

  @Test
  void onlyStepsWriteBlobs_andTheApiOnlyReadsThem() {
    for (Handler handler : Handler.values()) {
      List<String> s3 = synth.statementsOf(synth.roleOf(handler)).stream()
          .flatMap(s -> SynthesizedStack.strings(s.path("Action")).stream())
          .filter(a -> a.startsWith("s3:")).toList();
      if (Handler.steps().contains(handler)) {
        assertThat(s3).as("%s", handler).containsExactlyInAnyOrder("s3:GetObject", "s3:PutObject");
      } else if (handler == Handler.API) {
        assertThat(s3).as("%s", handler).containsExactly("s3:GetObject");
      } else {
        assertThat(s3).as("%s", handler).isEmpty();
      }
    }
  }
}
