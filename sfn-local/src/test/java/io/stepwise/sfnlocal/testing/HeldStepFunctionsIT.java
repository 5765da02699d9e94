package io.stepwise.sfnlocal.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionNotRedrivableException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

/**
 * The emulator with held executions, through the real AWS SDK {@link SfnClient}: what tests that
 * drive the steps themselves rely on (executions stay RUNNING until stopped or completed, start is
 * idempotent per name and input, recorded calls, injected errors, latency and overlap).
 */
class HeldStepFunctionsIT {

  private static final String MACHINE =
      "arn:aws:states:us-east-1:123456789012:stateMachine:stepwise";

  private HeldStepFunctions fake;
  private SfnClient sfn;

  @BeforeEach
  void start() {
    fake = HeldStepFunctions.start(MACHINE);
    sfn =
        SfnClient.builder()
            .endpointOverride(fake.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry()))
            .build();
  }

  @AfterEach
  void stop() {
    sfn.close();
    fake.close();
  }

  private StartExecutionResponse start(String name, String input) {
    return sfn.startExecution(b -> b.stateMachineArn(MACHINE).name(name).input(input));
  }

  @Test
  void startExecution_sameNameAndInputWhileRunning_returnsSameArn() {
    StartExecutionResponse first = start("task-1", "{\"a\":1}");
    StartExecutionResponse again = start("task-1", "{\"a\":1}");

    assertThat(first.executionArn())
        .isEqualTo("arn:aws:states:us-east-1:123456789012:execution:stepwise:task-1");
    assertThat(again.executionArn()).isEqualTo(first.executionArn());
    assertThat(again.startDate()).isEqualTo(first.startDate()).isNotNull();
    assertThat(fake.executions()).hasSize(1);
    assertThat(fake.calls("StartExecution")).hasSize(2);
    assertThat(fake.calls("StartExecution").get(0).body().get("input").asText())
        .isEqualTo("{\"a\":1}");
  }

  @Test
  void startExecution_sameNameDifferentInput_throwsExecutionAlreadyExists() {
    start("task-1", "{\"a\":1}");

    assertThatThrownBy(() -> start("task-1", "{\"a\":2}"))
        .isInstanceOf(ExecutionAlreadyExistsException.class);
  }

  @Test
  void execution_staysRunningInItsTaskState_untilStopped() throws Exception {
    String arn = start("task-1", "{}").executionArn();

    awaitHeld(arn);
    Thread.sleep(100);
    assertThat(sfn.describeExecution(b -> b.executionArn(arn)).status())
        .isEqualTo(ExecutionStatus.RUNNING);
    assertThat(fake.tasks().isHeld(arn)).isTrue();
  }

  @Test
  void stopExecution_abortsRunningExecution() throws Exception {
    String arn = start("task-1", "{}").executionArn();
    awaitHeld(arn);

    assertThat(sfn.stopExecution(b -> b.executionArn(arn).cause("cancelled")).stopDate())
        .isNotNull();

    DescribeExecutionResponse described = sfn.describeExecution(b -> b.executionArn(arn));
    assertThat(described.status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(described.stopDate()).isNotNull().isAfterOrEqualTo(described.startDate());
    assertThat(described.cause()).isEqualTo("cancelled");
    assertThat(described.stateMachineArn()).isEqualTo(MACHINE);
    assertThat(fake.execution(arn).orElseThrow().status()).isEqualTo("ABORTED");
    for (int i = 0; i < 100 && fake.tasks().isHeld(arn); i++) {
      Thread.sleep(10);
    }
    assertThat(fake.tasks().isHeld(arn)).as("the stopped execution left its task").isFalse();
  }

  @Test
  void describeExecution_unknownArn_throwsExecutionDoesNotExist() {
    assertThatThrownBy(
            () ->
                sfn.describeExecution(
                    b -> b.executionArn(MACHINE.replace("stateMachine", "execution") + ":nope")))
        .isInstanceOf(ExecutionDoesNotExistException.class);
  }

  @Test
  void redriveExecution_onlyFromFailed() {
    String arn = start("task-1", "{}").executionArn();

    assertThatThrownBy(() -> sfn.redriveExecution(b -> b.executionArn(arn)))
        .isInstanceOf(ExecutionNotRedrivableException.class);

    fake.complete(arn, "FAILED", "States.TaskFailed", "boom");
    assertThat(sfn.describeExecution(b -> b.executionArn(arn)).error())
        .isEqualTo("States.TaskFailed");
    assertThat(sfn.redriveExecution(b -> b.executionArn(arn)).redriveDate()).isNotNull();

    DescribeExecutionResponse described = sfn.describeExecution(b -> b.executionArn(arn));
    assertThat(described.status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(described.redriveCount()).isEqualTo(1);
    assertThat(fake.execution(arn).orElseThrow().redriveCount()).isEqualTo(1);
    assertThat(fake.complete(arn, "SUCCEEDED", null, null).redriveCount())
        .as("redriven, it waits in its task again")
        .isEqualTo(1);
  }

  @Test
  void listExecutions_filtersByStateMachineAndStatus() {
    fake.stateMachine(MACHINE + "-other");
    String running = start("task-1", "{}").executionArn();
    String done = start("task-2", "{}").executionArn();
    fake.complete(done, "SUCCEEDED", null, null);
    sfn.startExecution(b -> b.stateMachineArn(MACHINE + "-other").name("task-3"));

    assertThat(sfn.listExecutions(b -> b.stateMachineArn(MACHINE)).executions()).hasSize(2);
    assertThat(
            sfn.listExecutions(
                    b -> b.stateMachineArn(MACHINE).statusFilter(ExecutionStatus.RUNNING))
                .executions())
        .singleElement()
        .satisfies(e -> assertThat(e.executionArn()).isEqualTo(running));
  }

  @Test
  void complete_succeeded_endsTheExecutionWithItsTasksResult() {
    String arn = start("task-1", "{\"taskId\":\"t1\"}").executionArn();

    fake.complete(arn, "SUCCEEDED", null, null);

    DescribeExecutionResponse described = sfn.describeExecution(b -> b.executionArn(arn));
    assertThat(described.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(described.output()).isEqualTo("{}");
    assertThat(fake.calls("DescribeExecution")).hasSize(1);
  }

  @Test
  void failNext_returnsTypedThrottlingError() {
    fake.failNext("StartExecution", 400, "ThrottlingException", "slow down");

    assertThatThrownBy(() -> start("task-1", "{}"))
        .isInstanceOfSatisfying(
            SfnException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.isThrottlingException()).isTrue();
            });
    assertThat(start("task-1", "{}").executionArn()).endsWith(":task-1");
    assertThat(fake.calls("StartExecution")).hasSize(2);
  }

  @Test
  void failNext_queuesServerErrors_andClearFailuresDropsTheRest() {
    fake.failNext("StartExecution", 500, "ServiceUnavailable", "down");
    fake.failNext("StartExecution", 500, "ServiceUnavailable", "down");

    assertThatThrownBy(() -> start("task-1", "{}"))
        .isInstanceOfSatisfying(
            SfnException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
              assertThat(e.statusCode()).isEqualTo(500);
            });
    fake.clearFailures();
    assertThat(start("task-1", "{}").executionArn()).endsWith(":task-1");
    assertThat(fake.execution(MACHINE.replace("stateMachine", "execution") + ":task-1"))
        .isPresent();
  }

  @Test
  void latency_makesConcurrentCallsOverlap_andMaxConcurrentCountsThem() throws Exception {
    fake.latency("StartExecution", 400);
    int maxAtOnce;
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<Future<StartExecutionResponse>> starts = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        String name = "task-" + i;
        starts.add(pool.submit(() -> start(name, "{}")));
      }
      for (Future<StartExecutionResponse> f : starts) {
        f.get();
      }
      maxAtOnce = fake.maxConcurrent("StartExecution");
    } finally {
      pool.shutdownNow();
      fake.latency("StartExecution", 0);
    }
    // more than a fixed pool of 8 request threads would let through: the emulator itself never
    // limits a client
    assertThat(maxAtOnce).isGreaterThan(8).isLessThanOrEqualTo(12);
    assertThat(fake.maxConcurrent("DescribeExecution")).isZero();
  }

  @Test
  void start_refusesAnArnOfAnotherAccount() {
    assertThatThrownBy(
            () -> fake.stateMachine("arn:aws:states:us-east-1:000000000000:stateMachine:x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("123456789012");
  }

  private void awaitHeld(String arn) throws InterruptedException {
    for (int i = 0; i < 500 && !fake.tasks().isHeld(arn); i++) {
      Thread.sleep(10);
    }
    assertThat(fake.tasks().isHeld(arn)).as("%s waits in its task", arn).isTrue();
  }
}
