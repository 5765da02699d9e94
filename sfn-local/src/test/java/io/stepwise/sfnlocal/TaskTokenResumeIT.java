package io.stepwise.sfnlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * Callback tasks across a restart on the same data directory (as {@code sfn --data-dir} runs): an
 * emulator is stopped (as a crash would leave it) while a task waits for its token, or just after
 * it accepted one, and a new emulator on the same directory carries on. The token handed out before
 * the restart is the one that counts after it; the function that received it is not called again;
 * an answer accepted before the crash is not lost; ended tasks' tokens still answer TaskTimedOut.
 * Written from <a
 * href="https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token">Wait
 * for a Callback with the Task Token</a> and <a
 * href="https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html">SendTaskSuccess</a>.
 */
class TaskTokenResumeIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WAIT = "arn:aws:states:::lambda:invoke.waitForTaskToken";

  /** First → Approve (callback, the token goes to "callback") → After. */
  private static String definition(String approveExtra) {
    return """
        {"StartAt":"First","States":{
          "First":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
            "Parameters":{"FunctionName":"first","Payload.$":"$"},"ResultPath":null,"Next":"Approve"},
          "Approve":{"Type":"Task","Resource":"%s",%s
            "Parameters":{"FunctionName":"callback","Payload":{"token.$":"$$.Task.Token"}},
            "ResultPath":"$.approval","Next":"After"},
          "After":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
            "Parameters":{"FunctionName":"after","Payload.$":"$"},"ResultPath":null,"End":true}}}
        """
        .formatted(WAIT, approveExtra);
  }

  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final BlockingQueue<String> tokens = new LinkedBlockingQueue<>();
  private final CountDownLatch afterEntered = new CountDownLatch(1);
  private volatile boolean afterBlocks;

  private InProcessLambdas lambdas() {
    InProcessLambdas lambdas = new InProcessLambdas();
    for (String name : new String[] {"first", "callback", "after"}) {
      lambdas.register(name, counting(name));
    }
    return lambdas;
  }

  private RequestStreamHandler counting(String name) {
    return (in, out, ctx) -> {
      JsonNode payload = JSON.readTree(in.readAllBytes());
      calls.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
      if (name.equals("callback")) {
        tokens.add(payload.path("token").asText());
      }
      if (name.equals("after") && afterBlocks) {
        afterEntered.countDown();
        // in flight until after the "crash": a crashed process answers nothing
        while (afterBlocks) {
          try {
            Thread.sleep(10);
          } catch (InterruptedException crash) {
            // keep blocking: the emulator being closed must see no answer from this invocation
          }
        }
        throw new IllegalStateException("the process that ran this call is gone");
      }
      out.write(JSON.writeValueAsBytes(Map.of("ok", name)));
    };
  }

  private int calls(String name) {
    return calls.getOrDefault(name, new AtomicInteger()).get();
  }

  private StepFunctionsEmulator emulator(Path dir) {
    return StepFunctionsEmulator.builder()
        .lambdas(lambdas())
        .timeScale(0.001)
        .stateDir(dir)
        .start();
  }

  private static SfnClient client(StepFunctionsEmulator emulator) {
    return SfnClient.builder()
        .endpointOverride(emulator.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  private static String createMachine(SfnClient sfn, String definition) {
    return sfn.createStateMachine(
            b ->
                b.name("tokens").definition(definition).roleArn("arn:aws:iam::000000000000:role/x"))
        .stateMachineArn();
  }

  private String token() throws InterruptedException {
    String token = tokens.poll(20, TimeUnit.SECONDS);
    assertThat(token).as("the callback function received a token").isNotNull();
    return token;
  }

  private static DescribeExecutionResponse await(SfnClient sfn, String arn)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(arn));
    while (d.status() == ExecutionStatus.RUNNING && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
      d = sfn.describeExecution(b -> b.executionArn(arn));
    }
    return d;
  }

  private static void assertTimedOut(SfnClient sfn, String token) {
    assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(token).output("{}")))
        .isInstanceOfSatisfying(
            SfnException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("TaskTimedOut"));
  }

  private static long count(SfnClient sfn, String arn, String type) {
    return sfn.getExecutionHistory(b -> b.executionArn(arn).maxResults(1000)).events().stream()
        .map(HistoryEvent::typeAsString)
        .filter(type::equals)
        .count();
  }

  @Test
  void waitingAtTheRestart_stillWaitsAfterIt_andItsTokenContinuesIt() throws Exception {
    Path dir = Files.createTempDirectory("sfn-tokens");
    String arn;
    String token;
    try (StepFunctionsEmulator first = emulator(dir);
        SfnClient sfn = client(first)) {
      String machine = createMachine(sfn, definition(""));
      arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("e1")).executionArn();
      token = token();
      Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
      while (count(sfn, arn, "TaskSubmitted") == 0 && Instant.now().isBefore(deadline)) {
        Thread.sleep(10);
      }
    }

    try (StepFunctionsEmulator second = emulator(dir);
        SfnClient sfn = client(second)) {
      String machine = createMachine(sfn, definition(""));
      sfn.sendTaskHeartbeat(b -> b.taskToken(token)); // known before the resume too
      assertThat(second.resume(machine)).isEqualTo(1);
      Thread.sleep(300);
      assertThat(sfn.describeExecution(b -> b.executionArn(arn)).status())
          .as("still waiting for the token after the restart")
          .isEqualTo(ExecutionStatus.RUNNING);
      assertThat(calls("callback"))
          .as("the function that has the token is not called again")
          .isEqualTo(1);

      sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"approved\":true}"));

      DescribeExecutionResponse done = await(sfn, arn);
      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(JSON.readTree(done.output()).path("approval"))
          .isEqualTo(JSON.readTree("{\"approved\":true}"));
      assertThat(calls("callback")).isEqualTo(1);
      assertThat(calls("after")).isEqualTo(1);
      assertThat(count(sfn, arn, "TaskSubmitted")).isEqualTo(1);
      assertTimedOut(sfn, token);
    }

    try (StepFunctionsEmulator third = emulator(dir);
        SfnClient sfn = client(third)) {
      assertTimedOut(sfn, token); // a task that ended before a restart stays ended
      assertThatThrownBy(
              () -> sfn.sendTaskSuccess(b -> b.taskToken(TaskTokens.mint()).output("{}")))
          .isInstanceOfSatisfying(
              SfnException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("TaskDoesNotExist"));
    }
  }

  @Test
  void anAnswerAcceptedBeforeTheCrash_isNotLost_andTheReplayDoesNotWaitAgain() throws Exception {
    Path dir = Files.createTempDirectory("sfn-tokens");
    afterBlocks = true;
    String arn;
    String token;
    try (StepFunctionsEmulator first = emulator(dir);
        SfnClient sfn = client(first)) {
      String machine = createMachine(sfn, definition(""));
      arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("e1")).executionArn();
      token = token();
      sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"approved\":\"yes\"}"));
      assertThat(afterEntered.await(20, TimeUnit.SECONDS)).as("After was entered").isTrue();
    }
    afterBlocks = false;

    try (StepFunctionsEmulator second = emulator(dir);
        SfnClient sfn = client(second)) {
      String machine = createMachine(sfn, definition(""));
      assertThat(second.resume(machine)).isEqualTo(1);
      DescribeExecutionResponse done = await(sfn, arn);
      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(JSON.readTree(done.output()).path("approval").path("approved").asText())
          .isEqualTo("yes");
      assertThat(calls("callback"))
          .as("the replayed callback state takes its answer, it does not ask again")
          .isEqualTo(1);
      assertThat(calls("after")).as("the in-flight task runs again").isEqualTo(2);
      assertTimedOut(sfn, token);
    }
  }

  @Test
  void aCrashRightAfterTheAnswer_losesNothing() throws Exception {
    Path dir = Files.createTempDirectory("sfn-tokens");
    String arn;
    try (StepFunctionsEmulator first = emulator(dir);
        SfnClient sfn = client(first)) {
      String machine = createMachine(sfn, definition(""));
      arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("e1")).executionArn();
      String token = token();
      sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"n\":1}"));
    } // closed at once: the runner may or may not have taken the answer

    try (StepFunctionsEmulator second = emulator(dir);
        SfnClient sfn = client(second)) {
      String machine = createMachine(sfn, definition(""));
      second.resume(machine);
      DescribeExecutionResponse done = await(sfn, arn);
      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(JSON.readTree(done.output()).path("approval"))
          .isEqualTo(JSON.readTree("{\"n\":1}"));
      assertThat(calls("callback")).isEqualTo(1);
    }
  }

  @Test
  void afterTheRestart_theHeartbeatClockStartsAgain_andTimeoutSecondsKeepsItsDeadline()
      throws Exception {
    Path dir = Files.createTempDirectory("sfn-tokens");
    String definition = definition("\"TimeoutSeconds\":3,\"HeartbeatSeconds\":2,");
    String arn;
    try (StepFunctionsEmulator first = emulator(dir);
        SfnClient sfn = client(first)) {
      String machine = createMachine(sfn, definition);
      arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("e1")).executionArn();
      token();
      Thread.sleep(1500);
    }

    try (StepFunctionsEmulator second = emulator(dir);
        SfnClient sfn = client(second)) {
      Instant restarted = Instant.now();
      String machine = createMachine(sfn, definition);
      second.resume(machine);
      DescribeExecutionResponse done = await(sfn, arn);
      assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
      // 1.5 s had passed of the 3 s TimeoutSeconds; the heartbeat clock (2 s) restarted with the
      // emulator, so the overall deadline comes first
      assertThat(done.error()).isEqualTo("States.Timeout");
      assertThat(Duration.between(restarted, Instant.now())).isLessThan(Duration.ofMillis(2500));
    }
  }

  @Test
  void aCallbackInAParallelBranch_keepsItsTokenToo() throws Exception {
    Path dir = Files.createTempDirectory("sfn-tokens");
    String definition =
        """
        {"StartAt":"Fan","States":{"Fan":{"Type":"Parallel","End":true,"Branches":[
          {"StartAt":"Quick","States":{"Quick":{"Type":"Pass","Result":"quick","End":true}}},
          {"StartAt":"Approve","States":{"Approve":{"Type":"Task","Resource":"%s",
            "Parameters":{"FunctionName":"callback","Payload":{"token.$":"$$.Task.Token"}},
            "End":true}}}]}}}
        """
            .formatted(WAIT);
    String arn;
    String token;
    try (StepFunctionsEmulator first = emulator(dir);
        SfnClient sfn = client(first)) {
      String machine = createMachine(sfn, definition);
      arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("e1")).executionArn();
      token = token();
    }

    try (StepFunctionsEmulator second = emulator(dir);
        SfnClient sfn = client(second)) {
      String machine = createMachine(sfn, definition);
      assertThat(second.resume(machine)).isEqualTo(1);
      sfn.sendTaskSuccess(b -> b.taskToken(token).output("\"approved\""));
      DescribeExecutionResponse done = await(sfn, arn);
      assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(done.output()).isEqualTo("[\"quick\",\"approved\"]");
      assertThat(calls("callback")).isEqualTo(1);
    }
  }

  /**
   * The command line: {@code sfn --data-dir D --lambda-endpoint URL}, stopped while a task waits
   * and started again.
   */
  @Test
  void theSfnCommand_withDataDir_keepsAWaitingTaskAcrossARestart() throws Exception {
    Path dir = Files.createTempDirectory("sfn-tokens");
    HttpServer functions = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    functions.createContext(
        "/",
        exchange -> {
          JsonNode payload = JSON.readTree(exchange.getRequestBody().readAllBytes());
          if (exchange.getRequestURI().getPath().contains("/callback/")) {
            tokens.add(payload.path("token").asText());
          }
          calls
              .computeIfAbsent(exchange.getRequestURI().getPath(), n -> new AtomicInteger())
              .incrementAndGet();
          byte[] body = "{\"ok\":true}".getBytes();
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    functions.start();
    try {
      String[] args = {
        "--port",
        "0",
        "--data-dir",
        dir.toString(),
        "--lambda-endpoint",
        "http://127.0.0.1:" + functions.getAddress().getPort()
      };
      String arn;
      String token;
      try (StepFunctionsEmulator first = EmulatorMain.start(args);
          SfnClient sfn = client(first)) {
        String machine = createMachine(sfn, definition(""));
        arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("e1")).executionArn();
        token = token();
      }
      try (StepFunctionsEmulator second = EmulatorMain.start(args);
          SfnClient sfn = client(second)) {
        sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"cli\":true}"));
        DescribeExecutionResponse done = await(sfn, arn);
        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(JSON.readTree(done.output()).path("approval"))
            .isEqualTo(JSON.readTree("{\"cli\":true}"));
        assertThat(calls("/2015-03-31/functions/callback/invocations")).isEqualTo(1);
      }
    } finally {
      functions.stop(0);
    }
  }
}
