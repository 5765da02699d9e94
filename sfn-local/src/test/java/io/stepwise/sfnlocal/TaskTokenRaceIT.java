package io.stepwise.sfnlocal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * Many workers answer the same task token at once: exactly one answer counts, every other one is
 * TaskTimedOut ("the task associated with the token has already been closed", <a
 * href="https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html">SendTaskSuccess</a>),
 * and the execution continues with the answer that counted. Run over many trials; every trial that
 * breaks this is counted as a violation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskTokenRaceIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TRIALS = 50;
  private static final int SENDERS = 8;
  private static final String DEFINITION =
      """
      {"StartAt":"Approve","States":{"Approve":{"Type":"Task",
        "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters":{"FunctionName":"callback","Payload":{"token.$":"$$.Task.Token"}},
        "Catch":[{"ErrorEquals":["Sender.Failed"],"ResultPath":"$.failed","Next":"Failed"}],
        "End":true},
        "Failed":{"Type":"Pass","End":true}}}
      """;

  private final BlockingQueue<String> tokens = new LinkedBlockingQueue<>();
  private StepFunctionsEmulator emulator;
  private SfnClient sfn;
  private String machine;
  private ExecutorService senders;

  @BeforeAll
  void start() {
    InProcessLambdas lambdas = new InProcessLambdas();
    lambdas.register(
        "callback",
        (in, out, ctx) -> {
          tokens.add(JSON.readTree(in.readAllBytes()).path("token").asText());
          out.write("{}".getBytes());
        });
    emulator = StepFunctionsEmulator.builder().lambdas(lambdas).timeScale(0.001).start();
    sfn =
        SfnClient.builder()
            .endpointOverride(emulator.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    machine =
        sfn.createStateMachine(
                b ->
                    b.name("race")
                        .definition(DEFINITION)
                        .roleArn("arn:aws:iam::000000000000:role/x"))
            .stateMachineArn();
    senders = Executors.newFixedThreadPool(SENDERS);
  }

  @AfterAll
  void stop() {
    senders.shutdownNow();
    sfn.close();
    emulator.close();
  }

  /** What one sender got: null when its answer counted, else the AWS error code. */
  private record Answer(int sender, String error) {}

  private List<Answer> race(String token, boolean mixed) throws Exception {
    CountDownLatch ready = new CountDownLatch(SENDERS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Answer>> answers = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      int sender = i;
      answers.add(
          senders.submit(
              () -> {
                ready.countDown();
                go.await();
                try {
                  if (mixed && sender % 2 == 1) {
                    sfn.sendTaskFailure(
                        b -> b.taskToken(token).error("Sender.Failed").cause("" + sender));
                  } else {
                    sfn.sendTaskSuccess(
                        b -> b.taskToken(token).output("{\"sender\":" + sender + "}"));
                  }
                  return new Answer(sender, null);
                } catch (SfnException e) {
                  return new Answer(sender, e.awsErrorDetails().errorCode());
                }
              }));
    }
    ready.await();
    go.countDown();
    List<Answer> out = new ArrayList<>();
    for (Future<Answer> a : answers) {
      out.add(a.get(30, TimeUnit.SECONDS));
    }
    return out;
  }

  private DescribeExecutionResponse await(String arn) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(arn));
    while (d.statusAsString().equals("RUNNING") && Instant.now().isBefore(deadline)) {
      Thread.sleep(5);
      d = sfn.describeExecution(b -> b.executionArn(arn));
    }
    return d;
  }

  /**
   * {@code mixed}: half the senders send SendTaskFailure instead; the one answer that counts
   * decides whether the execution continues with the output or through the Catch.
   */
  private void trials(boolean mixed) throws Exception {
    int winners = 0;
    int timedOut = 0;
    List<String> violations = new ArrayList<>();
    for (int trial = 0; trial < TRIALS; trial++) {
      tokens.clear();
      String arn = sfn.startExecution(b -> b.stateMachineArn(machine)).executionArn();
      String token = tokens.poll(20, TimeUnit.SECONDS);
      assertThat(token).as("trial " + trial + ": a token").isNotNull();
      List<Answer> answers = race(token, mixed);
      List<Answer> won = answers.stream().filter(a -> a.error() == null).toList();
      long others = answers.stream().filter(a -> "TaskTimedOut".equals(a.error())).count();
      winners += won.size();
      timedOut += (int) others;
      if (won.size() != 1 || others != SENDERS - 1) {
        violations.add("trial " + trial + ": " + answers);
        continue;
      }
      int winner = won.get(0).sender();
      DescribeExecutionResponse done = await(arn);
      JsonNode output = JSON.readTree(done.output());
      boolean failedWon = mixed && winner % 2 == 1;
      boolean consistent =
          done.statusAsString().equals("SUCCEEDED")
              && (failedWon
                  ? output.path("failed").path("Cause").asText().equals("" + winner)
                  : output.path("sender").asInt(-1) == winner);
      if (!consistent) {
        violations.add("trial " + trial + ": winner " + winner + " but " + done);
      }
    }
    System.out.println(
        "task token race ("
            + (mixed ? "SendTaskSuccess and SendTaskFailure" : "SendTaskSuccess")
            + "): "
            + TRIALS
            + " trials x "
            + SENDERS
            + " senders: "
            + winners
            + " answers counted, "
            + timedOut
            + " TaskTimedOut, "
            + violations.size()
            + " violations");
    assertThat(violations).as("trials where not exactly one answer counted").isEmpty();
    assertThat(winners).isEqualTo(TRIALS);
    assertThat(timedOut).isEqualTo(TRIALS * (SENDERS - 1));
  }

  @Test
  void manySendTaskSuccessAtOnce_exactlyOneCounts_theOthersAreTaskTimedOut() throws Exception {
    trials(false);
  }

  @Test
  void sendTaskSuccessAndSendTaskFailureAtOnce_exactlyOneCounts() throws Exception {
    trials(true);
  }
}
