package io.stepwise.sfnlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionNotRedrivableException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;

/**
 * The emulator through the unchanged AWS SDK SfnClient: operations, error shapes and ASL semantics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmulatorIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final InProcessLambdas lambdas = new InProcessLambdas();
  private final List<JsonNode> statusEvents = new CopyOnWriteArrayList<>();
  private final AtomicInteger flakyCalls = new AtomicInteger();
  private final AtomicInteger firstCalls = new AtomicInteger();
  private final List<JsonNode> payloads = new CopyOnWriteArrayList<>();
  private volatile int failuresLeft;
  private StepFunctionsEmulator emulator;
  private SfnClient sfn;

  /** Thrown by test functions, so error names are real class names. */
  static final class FlakyException extends RuntimeException {
    FlakyException(String m) {
      super(m);
    }
  }

  static final class FatalException extends RuntimeException {
    FatalException(String m) {
      super(m);
    }
  }

  private static RequestStreamHandler handler(Function<JsonNode, Object> body) {
    return (in, out, ctx) -> {
      JsonNode input = JSON.readTree(in.readAllBytes());
      out.write(JSON.writeValueAsBytes(body.apply(input)));
    };
  }

  @BeforeAll
  void start() {
    lambdas.register(
        "first",
        handler(
            in -> {
              firstCalls.incrementAndGet();
              payloads.add(in);
              return JSON.createObjectNode()
                  .put("step", "first")
                  .put("seen", in.path("taskId").asText());
            }));
    lambdas.register(
        "flaky",
        handler(
            in -> {
              flakyCalls.incrementAndGet();
              payloads.add(in);
              if (failuresLeft > 0) {
                failuresLeft--;
                throw new FlakyException("try again");
              }
              return JSON.createObjectNode().put("step", "flaky");
            }));
    lambdas.register(
        "fatal",
        handler(
            in -> {
              throw new FatalException("bad input \"x\"");
            }));
    lambdas.register(
        "slow",
        handler(
            in -> {
              try {
                Thread.sleep(3_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return JSON.createObjectNode();
            }));
    emulator =
        new StepFunctionsEmulator(
            0,
            lambdas,
            0.001,
            json -> {
              try {
                statusEvents.add(JSON.readTree(json));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    sfn =
        SfnClient.builder()
            .endpointOverride(emulator.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  @AfterAll
  void stop() {
    sfn.close();
    emulator.close();
  }

  private static final String FLAKY = EmulatorIT.class.getName() + "$FlakyException";
  private static final String FATAL = EmulatorIT.class.getName() + "$FatalException";

  private String machine(String name) {
    String definition =
        """
        {"StartAt":"Route","States":{
          "Route":{"Type":"Choice","Choices":[{"Variable":"$.startAt","StringEquals":"flaky","Next":"Flaky"},
                                              {"Variable":"$.startAt","StringEquals":"fatal","Next":"Fatal"},
                                              {"Variable":"$.startAt","StringEquals":"slow","Next":"Slow"}],"Default":"First"},
          "First":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
            "Parameters":{"FunctionName":"arn:aws:lambda:us-east-1:000000000000:function:first",
              "Payload":{"taskId.$":"$.taskId","execution.$":"$$.Execution.Name","retryCount.$":"$$.State.RetryCount","redriveCount.$":"$$.Execution.RedriveCount"}},
            "ResultSelector":{"step.$":"$.Payload.step","status.$":"$.StatusCode"},"ResultPath":"$.last","Next":"Wait"},
          "Wait":{"Type":"Wait","Seconds":1,"Next":"Flaky"},
          "Flaky":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
            "Parameters":{"FunctionName":"flaky","Payload":{"retryCount.$":"$$.State.RetryCount","redriveCount.$":"$$.Execution.RedriveCount"}},
            "ResultPath":null,
            "Retry":[{"ErrorEquals":["%s"],"IntervalSeconds":2,"MaxAttempts":3,"BackoffRate":2,"MaxDelaySeconds":5,"JitterStrategy":"FULL"}],
            "Next":"Done"},
          "Fatal":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:fatal",
            "Catch":[{"ErrorEquals":["%s"],"ResultPath":"$.failure","Next":"Failed"}],"End":true},
          "Slow":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:slow","TimeoutSeconds":1,
            "Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Done"},{"ErrorEquals":["States.Timeout"],"ResultPath":"$.timeout","Next":"Done"}],"End":true},
          "Failed":{"Type":"Fail","ErrorPath":"$.failure.Error","CausePath":"$.failure.Cause"},
          "Done":{"Type":"Pass","Parameters":{"input.$":"$","label.$":"States.Format('task {}', $.taskId)"},"End":true}}}
        """
            .formatted(FLAKY, FATAL);
    return sfn.createStateMachine(
            b -> b.name(name).definition(definition).roleArn("arn:aws:iam::000000000000:role/x"))
        .stateMachineArn();
  }

  private DescribeExecutionResponse await(String arn, ExecutionStatus status)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(arn));
    while (d.status() != status && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
      d = sfn.describeExecution(b -> b.executionArn(arn));
    }
    assertThat(d.status())
        .as("status of %s (error %s, cause %s)", arn, d.error(), d.cause())
        .isEqualTo(status);
    return d;
  }

  @Test
  void execution_runsChoiceTaskWaitPass_withPathsAndContext() throws Exception {
    String machine = machine("happy");
    failuresLeft = 0;
    String arn =
        sfn.startExecution(
                b ->
                    b.stateMachineArn(machine)
                        .name("run-1")
                        .input("{\"taskId\":\"t1\",\"startAt\":\"first\"}"))
            .executionArn();

    DescribeExecutionResponse done = await(arn, ExecutionStatus.SUCCEEDED);
    JsonNode output = JSON.readTree(done.output());
    assertThat(output.path("input").path("last").path("step").asText()).isEqualTo("first");
    assertThat(output.path("input").path("last").path("status").asInt()).isEqualTo(200);
    assertThat(output.path("label").asText()).isEqualTo("task t1");
    JsonNode firstPayload =
        payloads.stream().filter(p -> p.has("execution")).reduce((a, b) -> b).orElseThrow();
    assertThat(firstPayload.path("execution").asText()).isEqualTo("run-1");
    assertThat(firstPayload.path("retryCount").asInt()).isZero();
    assertThat(arn).isEqualTo("arn:aws:states:us-east-1:000000000000:execution:happy:run-1");

    List<String> types =
        sfn.getExecutionHistory(b -> b.executionArn(arn)).events().stream()
            .map(HistoryEvent::typeAsString)
            .toList();
    assertThat(types)
        .startsWith("ExecutionStarted", "ChoiceStateEntered")
        .contains("TaskStateEntered", "TaskSucceeded", "WaitStateExited", "PassStateEntered")
        .endsWith("ExecutionSucceeded");
    var page = sfn.getExecutionHistory(b -> b.executionArn(arn).maxResults(3));
    assertThat(page.events()).hasSize(3);
    assertThat(
            sfn.getExecutionHistory(
                    b -> b.executionArn(arn).maxResults(3).nextToken(page.nextToken()))
                .events()
                .get(0)
                .id())
        .isEqualTo(4);
  }

  @Test
  void retry_countsAttemptsAndRetryCount_thenSucceeds() throws Exception {
    String machine = machine("retry");
    failuresLeft = 2;
    flakyCalls.set(0);
    String arn =
        sfn.startExecution(
                b -> b.stateMachineArn(machine).input("{\"taskId\":\"t2\",\"startAt\":\"flaky\"}"))
            .executionArn();

    await(arn, ExecutionStatus.SUCCEEDED);
    assertThat(flakyCalls.get()).isEqualTo(3);
    assertThat(payloads.get(payloads.size() - 1).path("retryCount").asInt()).isEqualTo(2);
  }

  @Test
  void retriesRunOut_executionFailsAtTheState_andRedriveRerunsOnlyThatState() throws Exception {
    String machine = machine("redrive");
    failuresLeft = 10;
    flakyCalls.set(0);
    firstCalls.set(0);
    statusEvents.clear();
    String arn =
        sfn.startExecution(
                b -> b.stateMachineArn(machine).input("{\"taskId\":\"t3\",\"startAt\":\"first\"}"))
            .executionArn();

    DescribeExecutionResponse failed = await(arn, ExecutionStatus.FAILED);
    assertThat(failed.error()).isEqualTo(FLAKY);
    assertThat(JSON.readTree(failed.cause()).path("errorMessage").asText()).isEqualTo("try again");
    assertThat(JSON.readTree(failed.cause()).path("errorType").asText()).isEqualTo(FLAKY);
    assertThat(flakyCalls.get()).isEqualTo(4);
    assertThat(failed.redriveStatusAsString()).isEqualTo("REDRIVABLE");

    failuresLeft = 0;
    sfn.redriveExecution(b -> b.executionArn(arn).clientToken("tok-1"));
    sfn.redriveExecution(
        b -> b.executionArn(arn).clientToken("tok-1")); // same token: no second redrive
    DescribeExecutionResponse redriven = await(arn, ExecutionStatus.SUCCEEDED);
    assertThat(redriven.redriveCount()).isEqualTo(1);
    assertThat(firstCalls.get()).isEqualTo(1);
    assertThat(payloads.get(payloads.size() - 1).path("redriveCount").asInt()).isEqualTo(1);
    assertThatThrownBy(() -> sfn.redriveExecution(b -> b.executionArn(arn)))
        .isInstanceOf(ExecutionNotRedrivableException.class);

    Thread.sleep(200);
    assertThat(statusEvents)
        .extracting(
            e ->
                e.path("detail").path("status").asText()
                    + "/"
                    + e.path("detail").path("redriveCount").asInt())
        .containsExactly("RUNNING/0", "FAILED/0", "RUNNING/1", "SUCCEEDED/1");
    assertThat(statusEvents.get(0).path("detail-type").asText())
        .isEqualTo("Step Functions Execution Status Change");
    assertThat(statusEvents.get(0).path("source").asText()).isEqualTo("aws.states");
  }

  @Test
  void catch_routesWithResultPath_andFailUsesErrorAndCausePaths() throws Exception {
    String machine = machine("catch");
    String arn =
        sfn.startExecution(
                b -> b.stateMachineArn(machine).input("{\"taskId\":\"t4\",\"startAt\":\"fatal\"}"))
            .executionArn();

    DescribeExecutionResponse failed = await(arn, ExecutionStatus.FAILED);
    assertThat(failed.error()).isEqualTo(FATAL);
    assertThat(JSON.readTree(failed.cause()).path("errorMessage").asText())
        .isEqualTo("bad input \"x\"");
  }

  @Test
  void timeoutSeconds_raisesStatesTimeout_whichTaskFailedDoesNotCatch() throws Exception {
    String machine = machine("timeout");
    String arn =
        sfn.startExecution(
                b -> b.stateMachineArn(machine).input("{\"taskId\":\"t5\",\"startAt\":\"slow\"}"))
            .executionArn();

    DescribeExecutionResponse done = await(arn, ExecutionStatus.SUCCEEDED);
    JsonNode input = JSON.readTree(done.output()).path("input");
    assertThat(input.path("timeout").path("Error").asText()).isEqualTo("States.Timeout");
  }

  @Test
  void stop_abortsAndCanBeRedriven() throws Exception {
    String machine = machine("stop");
    String arn =
        sfn.startExecution(
                b -> b.stateMachineArn(machine).input("{\"taskId\":\"t6\",\"startAt\":\"slow\"}"))
            .executionArn();
    Thread.sleep(100);
    sfn.stopExecution(b -> b.executionArn(arn).cause("enough"));

    assertThat(await(arn, ExecutionStatus.ABORTED).cause()).isEqualTo("enough");
    sfn.redriveExecution(b -> b.executionArn(arn));
    await(arn, ExecutionStatus.SUCCEEDED);
  }

  @Test
  void startExecution_nameIdempotency() throws Exception {
    String machine = machine("names");
    String a =
        sfn.startExecution(
                b ->
                    b.stateMachineArn(machine)
                        .name("same")
                        .input("{\"taskId\":\"t7\",\"startAt\":\"slow\"}"))
            .executionArn();
    String b2 =
        sfn.startExecution(
                b ->
                    b.stateMachineArn(machine)
                        .name("same")
                        .input("{\"taskId\":\"t7\",\"startAt\":\"slow\"}"))
            .executionArn();
    assertThat(b2).isEqualTo(a);
    assertThatThrownBy(
            () ->
                sfn.startExecution(
                    b -> b.stateMachineArn(machine).name("same").input("{\"taskId\":\"other\"}")))
        .isInstanceOf(ExecutionAlreadyExistsException.class);
    sfn.stopExecution(b -> b.executionArn(a));
  }

  @Test
  void errorsHaveAwsShapes() {
    assertThatThrownBy(
            () ->
                sfn.describeExecution(
                    b -> b.executionArn("arn:aws:states:us-east-1:000000000000:execution:x:y")))
        .isInstanceOf(ExecutionDoesNotExistException.class);
    assertThatThrownBy(
            () ->
                sfn.startExecution(
                    b -> b.stateMachineArn(StepFunctionsEmulator.stateMachineArn("missing"))))
        .isInstanceOf(StateMachineDoesNotExistException.class);
  }

  @Test
  void listExecutions_filtersByStatusAndPages() throws Exception {
    String machine = machine("list");
    failuresLeft = 0;
    for (int i = 0; i < 3; i++) {
      String arn =
          sfn.startExecution(
                  b -> b.stateMachineArn(machine).input("{\"taskId\":\"l\",\"startAt\":\"first\"}"))
              .executionArn();
      await(arn, ExecutionStatus.SUCCEEDED);
    }
    var page =
        sfn.listExecutions(
            b -> b.stateMachineArn(machine).statusFilter(ExecutionStatus.SUCCEEDED).maxResults(2));
    assertThat(page.executions()).hasSize(2);
    assertThat(
            sfn.listExecutions(
                    b ->
                        b.stateMachineArn(machine)
                            .statusFilter(ExecutionStatus.SUCCEEDED)
                            .nextToken(page.nextToken()))
                .executions())
        .hasSize(1);
    assertThat(
            sfn.listExecutions(b -> b.stateMachineArn(machine).statusFilter(ExecutionStatus.FAILED))
                .executions())
        .isEmpty();
    assertThat(sfn.listStateMachines().stateMachines()).extracting(m -> m.name()).contains("list");
    assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(machine)).definition())
        .contains("\"StartAt\":\"Route\"");
  }

  @Test
  void mapAndParallel_runEveryItemAndBranch_andABranchFailureIsCaught() throws Exception {
    String definition =
        """
        {"StartAt":"Fan","States":{
          "Fan":{"Type":"Map","ItemsPath":"$.papers","MaxConcurrency":2,
            "ItemSelector":{"taskId.$":"$$.Map.Item.Value","index.$":"$$.Map.Item.Index"},
            "ItemProcessor":{"StartAt":"Each","States":{
              "Each":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:first","End":true}}},
            "ResultPath":"$.mapped","Next":"Both"},
          "Both":{"Type":"Parallel","Branches":[
              {"StartAt":"A","States":{"A":{"Type":"Pass","Result":"a","End":true}}},
              {"StartAt":"B","States":{"B":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:fatal","End":true}}}],
            "Catch":[{"ErrorEquals":["%s"],"ResultPath":"$.parallelError","Next":"End"}],"Next":"End"},
          "End":{"Type":"Succeed"}}}
        """
            .formatted(FATAL);
    String machine =
        sfn.createStateMachine(
                b ->
                    b.name("fan")
                        .definition(definition)
                        .roleArn("arn:aws:iam::000000000000:role/x"))
            .stateMachineArn();
    firstCalls.set(0);
    String arn =
        sfn.startExecution(
                b -> b.stateMachineArn(machine).input("{\"papers\":[\"p1\",\"p2\",\"p3\"]}"))
            .executionArn();

    JsonNode output = JSON.readTree(await(arn, ExecutionStatus.SUCCEEDED).output());
    assertThat(firstCalls.get()).isEqualTo(3);
    assertThat(output.path("mapped")).hasSize(3);
    assertThat(output.path("mapped").get(2).path("seen").asText()).isEqualTo("p3");
    assertThat(output.path("parallelError").path("Error").asText()).isEqualTo(FATAL);
    List<String> types =
        sfn.getExecutionHistory(b -> b.executionArn(arn)).events().stream()
            .map(HistoryEvent::typeAsString)
            .toList();
    assertThat(types).contains("MapStateEntered", "ParallelStateEntered");
  }
}
