package io.stepwise.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.catalog.Handler;
import io.stepwise.catalog.Handlers;
import io.stepwise.model.Pipeline;
import io.stepwise.store.StateTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** The synthesised template: resources, their key properties and the triggers between them. */
class StepwiseStackTest {

  private static SynthesizedStack synth;
  private static List<Handler> handlers;

  @BeforeAll
  static void synthesise() {
    synth = SynthesizedStack.defaults();
    handlers = Handlers.installed().all();
  }

  @Test
  void stateTable_isBuiltFromStateTableWithTtlPitrEncryptionOnDemandAndRetain() {
    List<String> tables = synth.ofType("AWS::DynamoDB::Table");
    assertThat(tables).hasSize(1);
    JsonNode table = synth.resources.path(tables.get(0));
    JsonNode props = table.path("Properties");

    assertThat(props.path("KeySchema").toString())
        .isEqualTo(
            "[{\"AttributeName\":\""
                + StateTable.PARTITION_KEY
                + "\",\"KeyType\":\"HASH\"},"
                + "{\"AttributeName\":\""
                + StateTable.SORT_KEY
                + "\",\"KeyType\":\"RANGE\"}]");
    Set<String> attributes = new HashSet<>();
    props
        .path("AttributeDefinitions")
        .forEach(
            a -> {
              assertThat(a.path("AttributeType").asText()).isEqualTo("S");
              attributes.add(a.path("AttributeName").asText());
            });
    assertThat(attributes).containsExactlyInAnyOrderElementsOf(StateTable.keyAttributes());

    List<String> indexes = new ArrayList<>();
    props
        .path("GlobalSecondaryIndexes")
        .forEach(
            gsi -> {
              StateTable.Index expected =
                  StateTable.indexes().stream()
                      .filter(i -> i.name().equals(gsi.path("IndexName").asText()))
                      .findFirst()
                      .orElseThrow();
              assertThat(gsi.path("KeySchema").path(0).path("AttributeName").asText())
                  .isEqualTo(expected.partitionKey());
              assertThat(gsi.path("KeySchema").path(1).path("AttributeName").asText())
                  .isEqualTo(expected.sortKey());
              assertThat(gsi.path("Projection").path("ProjectionType").asText()).isEqualTo("ALL");
              indexes.add(expected.name());
            });
    assertThat(indexes)
        .containsExactlyInAnyOrderElementsOf(
            StateTable.indexes().stream().map(StateTable.Index::name).toList());

    assertThat(props.path("TimeToLiveSpecification").path("AttributeName").asText())
        .isEqualTo(StateTable.TTL_ATTRIBUTE);
    assertThat(props.path("TimeToLiveSpecification").path("Enabled").asBoolean()).isTrue();
    assertThat(
            props
                .path("PointInTimeRecoverySpecification")
                .path("PointInTimeRecoveryEnabled")
                .asBoolean())
        .isTrue();
    assertThat(props.path("SSESpecification").path("SSEEnabled").asBoolean()).isTrue();
    assertThat(props.path("BillingMode").asText()).isEqualTo("PAY_PER_REQUEST");
    assertThat(table.path("DeletionPolicy").asText()).isEqualTo("Retain");
    assertThat(table.path("UpdateReplacePolicy").asText()).isEqualTo("Retain");
  }

  @Test
  void theDeployedFunctions_areBothPipelinesStepsAndTheCore() {
    assertThat(handlers)
        .extracting(Handler::functionName)
        .containsExactlyInAnyOrder(
            "api",
            "fetch-papers",
            "analyze",
            "render-images",
            "build-payload",
            "publish",
            "review",
            "record-failure",
            "execution-events",
            "health-check",
            "reconciler",
            "alerts",
            "report-plan",
            "report-gather",
            "report-write-sections",
            "report-write-report",
            "report-deliver");
  }

  @Test
  void everyHandler_isOneJava21FunctionWithSnapStartJsonLogsAndALiveAlias() {
    synth.template.resourceCountIs("AWS::Lambda::Function", handlers.size());
    synth.template.resourceCountIs("AWS::Lambda::Alias", handlers.size());
    Map<String, Set<String>> codeKeys = new HashMap<>();
    for (Handler handler : handlers) {
      JsonNode props = synth.properties(synth.function(handler));
      assertThat(props.path("Runtime").asText())
          .as("%s runtime", handler.functionName())
          .isEqualTo("java21");
      assertThat(props.path("SnapStart").path("ApplyOn").asText())
          .as("%s SnapStart", handler.functionName())
          .isEqualTo("PublishedVersions");
      assertThat(props.path("LoggingConfig").path("LogFormat").asText())
          .as("%s log format", handler.functionName())
          .isEqualTo("JSON");
      assertThat(props.path("MemorySize").asInt())
          .as("%s memory", handler.functionName())
          .isEqualTo(handler.memoryMb());
      assertThat(props.path("Timeout").asInt())
          .as("%s timeout", handler.functionName())
          .isEqualTo(synth.catalogue().timeoutSeconds(handler));
      String logGroup = props.path("LoggingConfig").path("LogGroup").path("Ref").asText();
      assertThat(synth.properties(logGroup).path("RetentionInDays").asInt())
          .as("%s log retention", handler.functionName())
          .isEqualTo(30);
      codeKeys
          .computeIfAbsent(
              handler.pipeline() == null ? "core" : handler.pipeline(), k -> new HashSet<>())
          .add(props.path("Code").path("S3Key").asText());
      // The alias points at a published version of this function: SnapStart snapshots only those.
      String version =
          synth
              .properties(synth.liveAlias(handler))
              .path("FunctionVersion")
              .path("Fn::GetAtt")
              .path(0)
              .asText();
      assertThat(synth.resources.path(version).path("Type").asText())
          .isEqualTo("AWS::Lambda::Version");
      assertThat(synth.properties(version).path("FunctionName").path("Ref").asText())
          .isEqualTo(synth.function(handler));
    }
    // The core's functions share the bundle's package; each pipeline's steps share their pipeline's
    // own (the core,
    // the kit and that pipeline only), built by ./mvnw package before the stack is synthesised.
    assertThat(codeKeys).containsOnlyKeys("core", "paper-digest", "research-report");
    codeKeys.forEach(
        (group, keys) -> assertThat(keys).as("one package for the %s functions", group).hasSize(1));
    assertThat(codeKeys.values().stream().flatMap(Set::stream).distinct().count())
        .as("three packages")
        .isEqualTo(3);
    codeKeys.values().forEach(keys -> assertThat(keys.iterator().next()).endsWith(".jar"));
  }

  @Test
  void everyFunction_knowsTheTable_andOnlyThoseThatStartExecutionsKnowTheStateMachines() {
    String table = synth.ofType("AWS::DynamoDB::Table").get(0);
    List<String> machines = synth.ofType("AWS::StepFunctions::StateMachine");
    for (Handler handler : handlers) {
      JsonNode env =
          synth.properties(synth.function(handler)).path("Environment").path("Variables");
      assertThat(env.path("STEPWISE_TABLE").path("Ref").asText())
          .as("%s STEPWISE_TABLE", handler.functionName())
          .isEqualTo(table);
      // the api controls executions; the reconciler starts a stranded task's, execution-events a
      // batch's next task
      assertThat(env.has("STEPWISE_STATE_MACHINE_ARNS"))
          .as("%s STEPWISE_STATE_MACHINE_ARNS", handler.functionName())
          .isEqualTo(
              List.of(Handlers.API, Handlers.RECONCILER, Handlers.EXECUTION_EVENTS)
                  .contains(handler.functionName()));
      assertThat(env.has("STEPWISE_STATE_MACHINE_ARN"))
          .as("%s: the single-machine variable is gone", handler.functionName())
          .isFalse();
    }
    // pipeline=arn for every pipeline, each a Ref to its own state machine.
    assertThat(synth.stateMachinesByPipeline()).containsOnlyKeys("paper-digest", "research-report");
    assertThat(synth.stateMachinesByPipeline().values())
        .containsExactlyInAnyOrderElementsOf(machines);
  }

  @Test
  void stateInvokedFunctions_stopTheMarginBeforeTheirStateTimesOut() {
    for (Pipeline pipeline : synth.catalogue().pipelines()) {
      WorkflowDefinition definition = synth.catalogue().definition(pipeline.name());
      for (Handler handler : synth.catalogue().handlers().invokedBy(pipeline.name())) {
        int stateTimeout = definition.taskTimeoutSeconds(handler.state().orElseThrow());
        int lambdaTimeout = synth.properties(synth.function(handler)).path("Timeout").asInt();
        assertThat(lambdaTimeout)
            .as("%s Lambda timeout", handler.functionName())
            .isPositive()
            .isLessThanOrEqualTo(stateTimeout - Catalogue.STATE_TIMEOUT_MARGIN_SECONDS);
        if (handler.isStep()) {
          assertThat(lambdaTimeout)
              .as("%s Lambda timeout", handler.functionName())
              .isEqualTo(stateTimeout - Catalogue.STATE_TIMEOUT_MARGIN_SECONDS);
        }
      }
    }
    // The digest's RecordFailure state allows 60 s.
    assertThat(
            synth
                .properties(synth.function(synth.handler(Handlers.RECORD_FAILURE)))
                .path("Timeout")
                .asInt())
        .isEqualTo(50);
  }

  @Test
  void stateMachine_isStandardLoggingEveryEventWithoutExecutionDataAndTracing() {
    synth.template.resourceCountIs("AWS::StepFunctions::StateMachine", 2);
    synth.template.allResourcesProperties(
        "AWS::StepFunctions::StateMachine",
        Map.of(
            "StateMachineType", "STANDARD",
            "TracingConfiguration", Map.of("Enabled", true),
            "LoggingConfiguration",
                Match.objectLike(Map.of("Level", "ALL", "IncludeExecutionData", false))));
  }

  @Test
  void theDigestsStateMachine_keepsItsLogicalIdPrefix() {
    // Workflow/StateMachine as before there were several pipelines: an update keeps the machine and
    // its ARN.
    assertThat(synth.stateMachinesByPipeline().get("paper-digest"))
        .startsWith("WorkflowStateMachine");
  }

  @Test
  void theReportsStateMachine_isItsOwn_deployingPipelinesResearchReportAsl() {
    assertThat(synth.stateMachinesByPipeline()).containsOnlyKeys("paper-digest", "research-report");
    String report = synth.stateMachinesByPipeline().get("research-report");
    assertThat(report).isNotEqualTo(synth.stateMachinesByPipeline().get("paper-digest"));
    assertThat(synth.catalogue().pipelines())
        .filteredOn(p -> p.name().equals("research-report"))
        .extracting(Pipeline::aslFile)
        .containsExactly("pipelines/research-report/research-report.asl.json");
    String definition = synth.properties(report).path("DefinitionString").asText();
    assertThat(definition)
        .contains("\"WriteReport\"")
        .contains("\"write_report\"")
        .doesNotContain("FetchPapers");
    assertThat(
            synth.properties(report).path("DefinitionSubstitutions").has("WriteReportFunctionArn"))
        .isTrue();
  }

  @Test
  void definitionSubstitutions_areTheLiveAliasArnsOfTheFunctionsEachStateInvokes() {
    for (Map.Entry<String, String> machine : synth.stateMachinesByPipeline().entrySet()) {
      Pipeline pipeline =
          synth.catalogue().pipelines().stream()
              .filter(p -> p.name().equals(machine.getKey()))
              .findFirst()
              .orElseThrow();
      WorkflowDefinition definition = synth.catalogue().definition(pipeline.name());
      JsonNode substitutions = synth.properties(machine.getValue()).path("DefinitionSubstitutions");
      Set<String> keys = new HashSet<>();
      substitutions.fieldNames().forEachRemaining(keys::add);
      assertThat(keys)
          .as(pipeline.name())
          .containsExactlyInAnyOrderElementsOf(definition.placeholders());
      for (Handler handler : synth.catalogue().handlers().invokedBy(pipeline.name())) {
        // Ref of an AWS::Lambda::Alias is the alias ARN.
        assertThat(substitutions.path(handler.placeholder().orElseThrow()).path("Ref").asText())
            .as("%s %s", pipeline.name(), handler.placeholder().orElseThrow())
            .isEqualTo(synth.liveAlias(handler));
      }
    }
  }

  @Test
  void healthCheckAndAlerts_runEveryMinute_andTheReconcilerEveryFiveMinutes_onTheirAliases() {
    List<String> scheduled =
        synth.ofType("AWS::Events::Rule").stream()
            .filter(id -> synth.properties(id).has("ScheduleExpression"))
            .toList();
    assertThat(scheduled).hasSize(3);
    Map<String, String> scheduleByTarget = new HashMap<>();
    for (String id : scheduled) {
      JsonNode rule = synth.properties(id);
      assertThat(rule.path("Targets")).hasSize(1);
      scheduleByTarget.put(
          rule.path("Targets").path(0).path("Arn").path("Ref").asText(),
          rule.path("ScheduleExpression").asText());
    }
    assertThat(scheduleByTarget)
        .containsEntry(synth.liveAlias(synth.handler(Handlers.HEALTH_CHECK)), "rate(1 minute)")
        .containsEntry(synth.liveAlias(synth.handler(Handlers.ALERTS)), "rate(1 minute)")
        .containsEntry(synth.liveAlias(synth.handler(Handlers.RECONCILER)), "rate(5 minutes)");
  }

  @Test
  void executionStatusChangesOfTheStateMachines_reachExecutionEvents() {
    List<String> patterned =
        synth.ofType("AWS::Events::Rule").stream()
            .filter(id -> synth.properties(id).has("EventPattern"))
            // the other patterned rule is the model health changes' (AlertAlarmsTest)
            .filter(
                id ->
                    SynthesizedStack.strings(
                            synth.properties(id).path("EventPattern").path("source"))
                        .contains("aws.states"))
            .toList();
    assertThat(patterned).hasSize(1);
    JsonNode rule = synth.properties(patterned.get(0));
    JsonNode pattern = rule.path("EventPattern");
    assertThat(SynthesizedStack.strings(pattern.path("source"))).containsExactly("aws.states");
    assertThat(SynthesizedStack.strings(pattern.path("detail-type")))
        .containsExactly("Step Functions Execution Status Change");
    assertThat(SynthesizedStack.strings(pattern.path("detail").path("status")))
        .containsExactlyInAnyOrder("FAILED", "TIMED_OUT", "ABORTED", "SUCCEEDED", "RUNNING");
    List<String> matched = new ArrayList<>();
    pattern
        .path("detail")
        .path("stateMachineArn")
        .forEach(arn -> matched.add(arn.path("Ref").asText()));
    assertThat(matched)
        .containsExactlyInAnyOrderElementsOf(synth.ofType("AWS::StepFunctions::StateMachine"));
    assertThat(rule.path("Targets")).hasSize(1);
    assertThat(rule.path("Targets").path(0).path("Arn").path("Ref").asText())
        .isEqualTo(synth.liveAlias(synth.handler(Handlers.EXECUTION_EVENTS)));
  }

  @Test
  void httpApi_sendsEveryRouteToTheApiAliasWithPayload2() {
    synth.template.resourceCountIs("AWS::ApiGatewayV2::Api", 1);
    List<String> integrations = synth.ofType("AWS::ApiGatewayV2::Integration");
    assertThat(integrations).hasSize(1);
    JsonNode integration = synth.properties(integrations.get(0));
    assertThat(integration.path("IntegrationType").asText()).isEqualTo("AWS_PROXY");
    assertThat(integration.path("PayloadFormatVersion").asText()).isEqualTo("2.0");
    assertThat(integration.path("IntegrationUri").path("Ref").asText())
        .isEqualTo(synth.liveAlias(synth.handler(Handlers.API)));
    // $default (every /api path) and the dashboard's two static routes, all to the one integration.
    Map<String, String> targets = new HashMap<>();
    for (String route : synth.ofType("AWS::ApiGatewayV2::Route")) {
      targets.put(
          synth.properties(route).path("RouteKey").asText(),
          SynthesizedStack.render(synth.properties(route).path("Target")));
    }
    assertThat(targets).containsOnlyKeys("$default", "GET /", "GET /assets/{name}");
    assertThat(targets.values()).containsOnly("integrations/{Ref:" + integrations.get(0) + "}");
  }

  @Test
  void httpApi_defaultRouteKeepsTheLogicalIdHttpApiGaveIt() {
    // Declared by Api since the routes follow the Cognito client, under the id HttpApi used:
    // updated, not replaced.
    assertThat(synth.ofType("AWS::ApiGatewayV2::Route")).contains("ApiHttpApiDefaultRoute9B38A2A8");
  }

  @Test
  void httpApi_defaultStageThrottlesAndWritesAJsonAccessLogLinePerRequest() throws Exception {
    List<String> stages = synth.ofType("AWS::ApiGatewayV2::Stage");
    // The id HttpApi gives its own default stage: a stage deployed before this one is updated, not
    // replaced.
    assertThat(stages).containsExactly("ApiHttpApiDefaultStageE708EF42");
    JsonNode stage = synth.properties(stages.get(0));
    assertThat(stage.path("StageName").asText()).isEqualTo("$default");
    assertThat(stage.path("AutoDeploy").asBoolean()).isTrue();
    assertThat(stage.path("DefaultRouteSettings").path("ThrottlingRateLimit").asDouble())
        .isEqualTo(50);
    assertThat(stage.path("DefaultRouteSettings").path("ThrottlingBurstLimit").asInt())
        .isEqualTo(100);

    String logGroup =
        stage.path("AccessLogSettings").path("DestinationArn").path("Fn::GetAtt").path(0).asText();
    assertThat(synth.resources.path(logGroup).path("Type").asText())
        .isEqualTo("AWS::Logs::LogGroup");
    assertThat(synth.properties(logGroup).path("RetentionInDays").asInt()).isEqualTo(30);
    JsonNode format =
        new ObjectMapper().readTree(stage.path("AccessLogSettings").path("Format").asText());
    Map<String, String> fields = new LinkedHashMap<>();
    format.fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText()));
    assertThat(fields)
        .isEqualTo(Api.ACCESS_LOG_FIELDS)
        .containsEntry("requestId", "$context.requestId")
        .containsEntry("status", "$context.status")
        .containsEntry("sub", "$context.authorizer.claims.sub")
        .containsEntry("error", "$context.error.message");
  }

  @Test
  void blobBucket_logsEveryAccessIntoARetainedBucketThatOnlyS3LoggingMayWrite() {
    String blobs =
        synth
            .properties(synth.function(synth.handler(Handlers.API)))
            .path("Environment")
            .path("Variables")
            .path("STEPWISE_BLOBS_BUCKET")
            .path("Ref")
            .asText();
    JsonNode logging = synth.properties(blobs).path("LoggingConfiguration");
    String logs = logging.path("DestinationBucketName").path("Ref").asText();
    assertThat(logging.path("LogFilePrefix").asText()).isEqualTo("blobs/");

    JsonNode logBucket = synth.resources.path(logs);
    assertThat(logBucket.path("Type").asText()).isEqualTo("AWS::S3::Bucket");
    assertThat(logBucket.path("DeletionPolicy").asText()).isEqualTo("Retain");
    JsonNode props = logBucket.path("Properties");
    assertThat(props.has("AccessControl")).as("no log-delivery ACL").isFalse();
    assertThat(
            props.path("OwnershipControls").path("Rules").path(0).path("ObjectOwnership").asText())
        .isEqualTo("BucketOwnerEnforced");
    assertThat(
            props
                .path("LifecycleConfiguration")
                .path("Rules")
                .path(0)
                .path("ExpirationInDays")
                .asInt())
        .isEqualTo(StepwiseStack.ACCESS_LOG_RETENTION_DAYS);
    assertThat(
            props.path("PublicAccessBlockConfiguration").path("RestrictPublicBuckets").asBoolean())
        .isTrue();
    assertThat(props.path("BucketEncryption").toString()).contains("AES256");

    JsonNode policy =
        synth.ofType("AWS::S3::BucketPolicy").stream()
            .map(synth::properties)
            .filter(p -> logs.equals(p.path("Bucket").path("Ref").asText()))
            .findFirst()
            .orElseThrow()
            .path("PolicyDocument");
    List<JsonNode> allows = new ArrayList<>();
    policy
        .path("Statement")
        .forEach(
            st -> {
              if (st.path("Effect").asText().equals("Allow")) {
                allows.add(st);
              } else {
                assertThat(st.path("Condition").path("Bool").path("aws:SecureTransport").asText())
                    .isEqualTo("false");
              }
            });
    assertThat(allows).hasSize(1);
    assertThat(allows.get(0).path("Principal").path("Service").asText())
        .isEqualTo("logging.s3.amazonaws.com");
    assertThat(SynthesizedStack.strings(allows.get(0).path("Action")))
        .containsExactly("s3:PutObject");
    assertThat(
            allows
                .get(0)
                .path("Condition")
                .path("ArnLike")
                .path("aws:SourceArn")
                .path("Fn::GetAtt")
                .path(0)
                .asText())
        .isEqualTo(blobs);
  }

  @Test
  void alarmsAndOutputs_areThere() {
    // one failed-executions alarm per pipeline, the health check's, the API's and the five alert
    // rules' (AlertAlarmsTest)
    synth.template.resourceCountIs("AWS::CloudWatch::Alarm", 9);
    for (String pipeline : List.of("paper-digest", "research-report")) {
      synth.template.hasResourceProperties(
          "AWS::CloudWatch::Alarm",
          Map.of(
              "MetricName",
              "ExecutionsFailed",
              "Namespace",
              "AWS/States",
              "Dimensions",
              List.of(
                  Map.of(
                      "Name",
                      "StateMachineArn",
                      "Value",
                      Map.of("Ref", synth.stateMachinesByPipeline().get(pipeline))))));
    }
    synth.template.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Map.of(
            "MetricName",
            "Errors",
            "Namespace",
            "AWS/Lambda",
            "Dimensions",
            List.of(
                Map.of(
                    "Name",
                    "FunctionName",
                    "Value",
                    Map.of("Ref", synth.function(synth.handler(Handlers.HEALTH_CHECK)))))));
    synth.template.hasResourceProperties(
        "AWS::CloudWatch::Alarm", Map.of("MetricName", "5xx", "Namespace", "AWS/ApiGateway"));
    synth.template.hasOutput("ApiUrl", Match.anyValue());
    synth.template.hasOutput("StateMachineArn", Match.anyValue());
    synth.template.hasOutput("StateMachineArns", Match.anyValue());
    synth.template.hasOutput("TableName", Match.anyValue());
    synth.template.hasOutput("AlarmTopicArn", Match.anyValue());
    synth.template.hasOutput("DashboardUrl", Match.anyValue());
    synth.template.hasOutput("UserPoolId", Match.anyValue());
    synth.template.hasOutput("UserPoolClientId", Match.anyValue());
    synth.template.hasOutput("SignInDomain", Match.anyValue());
  }

  @Test
  void everyAlarm_notifiesTheAlarmTopic_whenItFiresAndWhenItClears() {
    // two topics: the alarms' and the reviews' (ReviewNotifications); every alarm notifies the
    // alarms' one
    List<String> topics =
        synth.ofType("AWS::SNS::Topic").stream().filter(t -> t.startsWith("Alarms")).toList();
    assertThat(topics).hasSize(1);
    assertThat(synth.ofType("AWS::SNS::Topic")).hasSize(2);
    for (String alarm : synth.ofType("AWS::CloudWatch::Alarm")) {
      JsonNode props = synth.properties(alarm);
      for (String actions : List.of("AlarmActions", "OKActions")) {
        assertThat(props.path(actions).size()).as(alarm + " " + actions).isEqualTo(1);
        assertThat(props.path(actions).path(0).path("Ref").asText())
            .as(alarm + " " + actions)
            .isEqualTo(topics.get(0));
      }
    }
    // Only over TLS; no subscriber unless the deployment names one.
    synth.template.resourceCountIs("AWS::SNS::Subscription", 0);
    synth.template.hasResourceProperties(
        "AWS::SNS::TopicPolicy",
        Match.objectLike(
            Map.of(
                "PolicyDocument",
                Map.of(
                    "Statement",
                    Match.arrayWith(
                        List.of(
                            Match.objectLike(
                                Map.of(
                                    "Effect",
                                    "Deny",
                                    "Condition",
                                    Map.of("Bool", Map.of("aws:SecureTransport", "false"))))))))));
  }

  @Test
  void alarmEmails_areSubscribedToTheAlarmTopic() {
    SynthesizedStack withEmails =
        SynthesizedStack.of(
            StackConfig.defaults()
                .withAlarmEmails(List.of("oncall@example.com", "lead@example.com")));

    withEmails.template.resourceCountIs("AWS::SNS::Subscription", 2);
    withEmails.template.hasResourceProperties(
        "AWS::SNS::Subscription", Map.of("Protocol", "email", "Endpoint", "oncall@example.com"));
  }

  @Test
  void reviewNotifications_goToATopicOnlyTheReviewFunctionPublishesTo_namedInItsEnvironment() {
    List<String> publishers = new java.util.ArrayList<>();
    for (Handler handler : synth.catalogue().functions()) {
      for (JsonNode statement : synth.statementsOf(synth.roleOf(handler))) {
        if (SynthesizedStack.strings(statement.path("Action")).contains("sns:Publish")) {
          publishers.add(handler.functionName());
        }
      }
    }
    assertThat(publishers).containsExactly(Handlers.REVIEW);
    JsonNode env =
        synth
            .properties(synth.function(synth.handler(Handlers.REVIEW)))
            .path("Environment")
            .path("Variables");
    assertThat(env.has(ReviewNotifications.TOPIC_VARIABLE)).isTrue();
    assertThat(env.has(ReviewNotifications.DASHBOARD_VARIABLE)).isTrue();
    assertThat(synth.output("ReviewTopicArn").isMissingNode()).isFalse();
  }
}
