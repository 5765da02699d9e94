package io.stepwise.sfnlocal;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * An emulator persisting to a directory is stopped with a task in flight (as a crash would leave
 * it) and a new one on the same directory resumes: from the last task state that completed, so that
 * a result the local store acknowledged but lost in the crash is redone, and never from a step that
 * failed and was caught.
 */
class EmulatorResumeIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEFINITION =
      """
      {"StartAt":"Route","States":{
        "Route":{"Type":"Choice","Choices":[{"Variable":"$.fail","BooleanEquals":true,"Next":"Refuse"}],"Default":"First"},
        "First":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"first","Payload.$":"$"},
          "ResultPath":null,"Next":"Second"},
        "Second":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"second","Payload.$":"$"},
          "ResultPath":null,"Next":"Third"},
        "Third":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"third","Payload.$":"$"},
          "ResultPath":null,"End":true},
        "Refuse":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"refuse","Payload.$":"$"},
          "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Third"}],"End":true}}}
      """;

  /** Thrown by the "refuse" function: its class name is the error name. */
  static final class RefusedException extends RuntimeException {
    RefusedException() {
      super("refused");
    }
  }

  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final CountDownLatch thirdEntered = new CountDownLatch(1);
  private volatile boolean thirdBlocks = true;

  private InProcessLambdas lambdas() {
    InProcessLambdas lambdas = new InProcessLambdas();
    for (String name : new String[] {"first", "second", "third", "refuse"}) {
      lambdas.register(name, counting(name));
    }
    return lambdas;
  }

  private RequestStreamHandler counting(String name) {
    return (in, out, ctx) -> {
      in.readAllBytes();
      calls.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
      if (name.equals("refuse")) {
        throw new RefusedException();
      }
      if (name.equals("third") && thirdEntered.getCount() > 0) {
        thirdEntered.countDown();
        // In flight until after the "crash": a crashed process answers nothing, so neither does
        // this call.
        while (thirdBlocks) {
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

  private static SfnClient client(StepFunctionsEmulator emulator) {
    return SfnClient.builder()
        .endpointOverride(emulator.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  private static String createMachine(SfnClient sfn) {
    return sfn.createStateMachine(
            b ->
                b.name("resume").definition(DEFINITION).roleArn("arn:aws:iam::000000000000:role/x"))
        .stateMachineArn();
  }

  private String crashWhileThirdRuns(Path dir, String input) throws Exception {
    try (StepFunctionsEmulator first =
            new StepFunctionsEmulator(0, lambdas(), 0.001, json -> {}, dir);
        SfnClient sfn = client(first)) {
      String machine = createMachine(sfn);
      String arn =
          sfn.startExecution(b -> b.stateMachineArn(machine).name("e1").input(input))
              .executionArn();
      assertThat(thirdEntered.await(20, TimeUnit.SECONDS)).as("Third was entered").isTrue();
      return arn;
    }
  }

  private ExecutionStatus resumeAndAwait(Path dir, String arn) throws Exception {
    thirdBlocks = false;
    try (StepFunctionsEmulator second =
            new StepFunctionsEmulator(0, lambdas(), 0.001, json -> {}, dir);
        SfnClient sfn = client(second)) {
      String machine = createMachine(sfn);
      assertThat(second.resume(machine)).isEqualTo(1);
      Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
      ExecutionStatus status = sfn.describeExecution(b -> b.executionArn(arn)).status();
      while (status == ExecutionStatus.RUNNING && Instant.now().isBefore(deadline)) {
        Thread.sleep(20);
        status = sfn.describeExecution(b -> b.executionArn(arn)).status();
      }
      return status;
    }
  }

  @Test
  void resumeAfterCrash_replaysTheLastCompletedTask_thenTheInFlightOne() throws Exception {
    Path dir = Files.createTempDirectory("emulator-resume");
    String arn = crashWhileThirdRuns(dir, "{\"fail\":false}");

    assertThat(resumeAndAwait(dir, arn)).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(calls("first"))
        .as("completed before the last completed task: not replayed")
        .isEqualTo(1);
    assertThat(calls("second")).as("the last completed task is replayed once").isEqualTo(2);
    assertThat(calls("third")).as("the in-flight task runs again").isEqualTo(2);
  }

  @Test
  void resumeAfterCrash_neverReplaysAStepThatFailedAndWasCaught() throws Exception {
    Path dir = Files.createTempDirectory("emulator-resume");
    String arn = crashWhileThirdRuns(dir, "{\"fail\":true}");

    assertThat(resumeAndAwait(dir, arn)).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(calls("refuse")).as("a caught failure is not re-run").isEqualTo(1);
    assertThat(calls("third")).isEqualTo(2);
  }
}
