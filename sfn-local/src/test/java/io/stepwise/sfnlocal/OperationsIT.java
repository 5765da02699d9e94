package io.stepwise.sfnlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.ListStateMachinesResponse;
import software.amazon.awssdk.services.sfn.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StateMachineTypeNotSupportedException;
import software.amazon.awssdk.services.sfn.model.Tag;

/**
 * The operations beyond running executions, through the unchanged SfnClient, with AWS's error
 * codes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROLE = "arn:aws:iam::000000000000:role/ops";
  private static final String PASS =
      "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Result\":\"v1\",\"End\":true}}}";

  private final InProcessLambdas lambdas = new InProcessLambdas();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private StepFunctionsEmulator emulator;
  private SfnClient sfn;

  static final class NotYetException extends RuntimeException {
    NotYetException() {
      super("not yet");
    }
  }

  @BeforeAll
  void start() {
    lambdas.register(
        "flaky",
        (in, out, ctx) -> {
          if (failuresLeft.getAndDecrement() > 0) {
            throw new NotYetException();
          }
          out.write(in.readAllBytes());
        });
    lambdas.register(
        "counted",
        (in, out, ctx) -> {
          JsonNode payload = JSON.readTree(in.readAllBytes());
          calls
              .computeIfAbsent(payload.path("id").asText(), k -> new AtomicInteger())
              .incrementAndGet();
          if (payload.path("fail").asBoolean() && failuresLeft.getAndDecrement() > 0) {
            throw new NotYetException();
          }
          out.write(JSON.writeValueAsBytes(payload));
        });
    emulator = StepFunctionsEmulator.builder().lambdas(lambdas).timeScale(0.01).start();
    sfn =
        SfnClient.builder()
            .endpointOverride(emulator.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(
                c ->
                    c.putAdvancedOption(
                        SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
            .build();
  }

  @AfterAll
  void stop() {
    sfn.close();
    emulator.close();
  }

  private String create(String name, String definition) {
    return sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE))
        .stateMachineArn();
  }

  @Test
  void updateStateMachine_changesDefinitionAndRole_andNewExecutionsUseIt() throws Exception {
    String arn = create("ops-update", PASS);
    var updated =
        sfn.updateStateMachine(
            b -> b.stateMachineArn(arn).definition(PASS.replace("v1", "v2")).roleArn(ROLE + "2"));

    assertThat(updated.updateDate()).isNotNull();
    assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(arn)).roleArn())
        .isEqualTo(ROLE + "2");
    String ex = sfn.startExecution(b -> b.stateMachineArn(arn)).executionArn();
    assertThat(await(ex).output()).isEqualTo("\"v2\"");
    var forExecution = sfn.describeStateMachineForExecution(b -> b.executionArn(ex));
    assertThat(forExecution.definition()).contains("v2");
    assertThat(forExecution.stateMachineArn()).isEqualTo(arn);
    assertThat(forExecution.updateDate()).isNotNull();
  }

  @Test
  void updateStateMachine_withAnInvalidDefinition_isInvalidDefinition_andChangesNothing() {
    String arn = create("ops-update-bad", PASS);
    assertThatThrownBy(
            () ->
                sfn.updateStateMachine(
                    b ->
                        b.stateMachineArn(arn)
                            .definition(
                                "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"B\"}}}")))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("/States/A/Next");
    assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(arn)).definition()).isEqualTo(PASS);
  }

  @Test
  void deleteStateMachine_removesIt_andIsIdempotent() {
    String arn = create("ops-delete", PASS);
    sfn.deleteStateMachine(b -> b.stateMachineArn(arn));
    sfn.deleteStateMachine(b -> b.stateMachineArn(arn));

    assertThatThrownBy(() -> sfn.describeStateMachine(b -> b.stateMachineArn(arn)))
        .isInstanceOf(StateMachineDoesNotExistException.class);
    assertThat(sfn.listStateMachines().stateMachines())
        .noneMatch(m -> m.stateMachineArn().equals(arn));
  }

  @Test
  void tags_atCreation_tagAndUntag_andUnknownResources() {
    String arn =
        sfn.createStateMachine(
                b ->
                    b.name("ops-tags")
                        .definition(PASS)
                        .roleArn(ROLE)
                        .tags(Tag.builder().key("team").value("a").build()))
            .stateMachineArn();
    sfn.tagResource(b -> b.resourceArn(arn).tags(Tag.builder().key("env").value("dev").build()));
    sfn.untagResource(b -> b.resourceArn(arn).tagKeys("team"));

    assertThat(sfn.listTagsForResource(b -> b.resourceArn(arn)).tags())
        .containsExactly(Tag.builder().key("env").value("dev").build());
    assertThatThrownBy(
            () ->
                sfn.listTagsForResource(
                    b -> b.resourceArn(StepFunctionsEmulator.stateMachineArn("none"))))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> sfn.listTagsForResource(b -> b.resourceArn("not-an-arn")))
        .isInstanceOf(InvalidArnException.class);
  }

  @Test
  void listStateMachines_pagesWithMaxResultsAndNextToken() {
    for (int i = 0; i < 3; i++) {
      create("ops-page-" + i, PASS);
    }
    int total = sfn.listStateMachines().stateMachines().size();
    ListStateMachinesResponse first = sfn.listStateMachines(b -> b.maxResults(2));
    assertThat(first.stateMachines()).hasSize(2);
    assertThat(first.nextToken()).isNotNull();
    int seen = first.stateMachines().size();
    String token = first.nextToken();
    while (token != null) {
      String t = token;
      ListStateMachinesResponse page = sfn.listStateMachines(b -> b.maxResults(2).nextToken(t));
      seen += page.stateMachines().size();
      token = page.nextToken();
    }
    assertThat(seen).isEqualTo(total).isGreaterThanOrEqualTo(3);
  }

  @Test
  void malformedArns_areInvalidArn_wellFormedUnknownOnes_DoesNotExist() {
    assertThatThrownBy(
            () ->
                sfn.describeStateMachine(
                    b -> b.stateMachineArn("arn:aws:states:us-east-1:000000000000:stateMachine")))
        .isInstanceOf(InvalidArnException.class);
    assertThatThrownBy(
            () ->
                sfn.describeExecution(
                    b -> b.executionArn("arn:aws:states:us-east-1:000000000000:stateMachine:x")))
        .isInstanceOf(InvalidArnException.class);
    assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn("paper-digest")))
        .isInstanceOf(InvalidArnException.class);
    assertThatThrownBy(
            () ->
                sfn.listExecutions(
                    b -> b.stateMachineArn(StepFunctionsEmulator.stateMachineArn("never-created"))))
        .isInstanceOf(StateMachineDoesNotExistException.class);
  }

  @Test
  void executionNames_followTheNamingRules() {
    String arn = create("ops-names", PASS);
    assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(arn).name("has space")))
        .isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(arn).name("a/b")))
        .isInstanceOf(InvalidNameException.class);
  }

  @Test
  void describeExecution_saysWhyAnExecutionIsNotRedrivable() throws Exception {
    String arn = create("ops-reason", PASS);
    String ex = sfn.startExecution(b -> b.stateMachineArn(arn)).executionArn();
    DescribeExecutionResponse done = await(ex);

    assertThat(done.redriveStatusAsString()).isEqualTo("NOT_REDRIVABLE");
    assertThat(done.redriveStatusReason()).contains("SUCCEEDED");
  }

  @Test
  void startSyncExecution_onAStandardStateMachine_isStateMachineTypeNotSupported() {
    String arn = create("ops-sync-standard", PASS);
    assertThatThrownBy(() -> sfn.startSyncExecution(b -> b.stateMachineArn(arn)))
        .isInstanceOf(StateMachineTypeNotSupportedException.class);
  }

  @Test
  void redrive_continuesWithTheVariablesTheFailedStateHad() throws Exception {
    String definition =
        """
        {"StartAt":"Keep","States":{
          "Keep":{"Type":"Pass","Assign":{"kept.$":"$.v"},"Next":"Call"},
          "Call":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:flaky","Parameters":{"kept.$":"$kept"},"End":true}}}""";
    String arn = create("ops-redrive-vars", definition);
    failuresLeft.set(1);
    String ex =
        sfn.startExecution(b -> b.stateMachineArn(arn).input("{\"v\":\"remembered\"}"))
            .executionArn();
    assertThat(await(ex).statusAsString()).isEqualTo("FAILED");

    sfn.redriveExecution(b -> b.executionArn(ex));
    Thread.sleep(50);
    DescribeExecutionResponse done = await(ex);
    assertThat(done.statusAsString()).isEqualTo("SUCCEEDED");
    assertThat(JSON.readTree(done.output()).path("kept").asText()).isEqualTo("remembered");
    assertThat(done.redriveCount()).isEqualTo(1);
  }

  @Test
  void redrive_ofAParallelState_rerunsOnlyTheBranchesThatDidNotSucceed() throws Exception {
    String fn = "arn:aws:lambda:us-east-1:000000000000:function:counted";
    String definition =
        """
        {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
          {"StartAt":"A","States":{"A":{"Type":"Task","Resource":"%1$s","Parameters":{"id":"par-a"},"End":true}}},
          {"StartAt":"Later","States":{"Later":{"Type":"Wait","Seconds":20,"Next":"B"},
            "B":{"Type":"Task","Resource":"%1$s","Parameters":{"id":"par-b","fail":true},"End":true}}}]}}}"""
            .formatted(fn);
    String arn = create("ops-redrive-parallel", definition);
    failuresLeft.set(1);
    String ex = sfn.startExecution(b -> b.stateMachineArn(arn)).executionArn();
    // B fails after A has finished (its Wait is 0.2 s here), so A's output is kept
    assertThat(await(ex).statusAsString()).isEqualTo("FAILED");

    sfn.redriveExecution(b -> b.executionArn(ex));
    Thread.sleep(50);
    DescribeExecutionResponse done = await(ex);
    assertThat(done.statusAsString()).isEqualTo("SUCCEEDED");
    assertThat(JSON.readTree(done.output()).findValuesAsText("id"))
        .containsExactly("par-a", "par-b");
    assertThat(calls.get("par-a").get())
        .as("the branch that succeeded is not run again")
        .isEqualTo(1);
    assertThat(calls.get("par-b").get()).isEqualTo(2);
  }

  @Test
  void redrive_ofAMapState_rerunsOnlyTheIterationsThatDidNotSucceed() throws Exception {
    String definition =
        """
        {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"End":true,"ItemProcessor":{"StartAt":"T","States":{
          "T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:counted","End":true}}}}}}""";
    String arn = create("ops-redrive-map", definition);
    failuresLeft.set(1);
    String ex =
        sfn.startExecution(
                b ->
                    b.stateMachineArn(arn)
                        .input(
                            "[{\"id\":\"map-0\"},{\"id\":\"map-1\",\"fail\":true},{\"id\":\"map-2\"}]"))
            .executionArn();
    assertThat(await(ex).statusAsString()).isEqualTo("FAILED");

    sfn.redriveExecution(b -> b.executionArn(ex));
    Thread.sleep(50);
    DescribeExecutionResponse done = await(ex);
    assertThat(done.statusAsString()).isEqualTo("SUCCEEDED");
    assertThat(JSON.readTree(done.output()).findValuesAsText("id"))
        .containsExactly("map-0", "map-1", "map-2");
    assertThat(calls.get("map-0").get())
        .as("the iteration that succeeded is not run again")
        .isEqualTo(1);
    assertThat(calls.get("map-1").get()).isEqualTo(2);
    assertThat(calls.get("map-2").get()).isEqualTo(1);
  }

  @Test
  void testState_withAnInvalidState_isInvalidDefinition() {
    assertThatThrownBy(
            () ->
                sfn.testState(b -> b.definition("{\"Type\":\"Nope\",\"End\":true}").roleArn(ROLE)))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("Type");
    assertThatThrownBy(() -> sfn.testState(b -> b.definition("{\"Type\":\"Pass\"}").roleArn(ROLE)))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("Next");
  }

  @Test
  void validateStateMachineDefinition_truncatesAtMaxResults() {
    var r =
        sfn.validateStateMachineDefinition(
            b ->
                b.maxResults(1)
                    .definition(
                        "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Wat\",\"Next\":\"B\"},\"B\":{\"Type\":\"Pass\",\"Next\":\"C\"}}}"));
    assertThat(r.resultAsString()).isEqualTo("FAIL");
    assertThat(r.diagnostics()).hasSize(1);
    assertThat(r.truncated()).isTrue();
  }

  private DescribeExecutionResponse await(String arn) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (true) {
      DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(arn));
      if (!d.statusAsString().equals("RUNNING") || Instant.now().isAfter(deadline)) {
        return d;
      }
      Thread.sleep(20);
    }
  }
}
