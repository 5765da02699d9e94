package io.stepwise.workflow;

import io.micronaut.context.BeanProvider;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.retry.RetryUtils;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * {@link Workflow} on AWS Step Functions (or the local emulator, through the endpoint override).
 *
 * <p>The client is built on first use: the review, execution-events and reconciler functions hold a
 * workflow but most of their invocations never call Step Functions, and building the client loaded
 * about 60 classes of every such cold start ({@code io.stepwise.bench.ColdStartBenchmark}). With
 * SnapStart it is built before the snapshot all the same ({@link #beforeCheckpoint}), so a restored
 * function has it.
 */
@Singleton
public class SfnWorkflow implements Workflow, Resource {

  private final BeanProvider<SfnClient> sfn;
  private final Map<String, String> stateMachines;
  private final JsonMapper json;

  public SfnWorkflow(BeanProvider<SfnClient> sfn, WorkflowConfig config, JsonMapper json) {
    this.sfn = sfn;
    this.json = json;
    this.stateMachines = Map.copyOf(config.byPipeline());
    // The JVM's CRaC context holds resources weakly: this singleton keeps itself registered.
    Core.getGlobalContext().register(this);
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    sfn.get();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    // Nothing to refresh: the client reads credentials per request.
  }

  @Override
  public String executionArn(String pipeline, String executionName) {
    // arn:aws:states:<region>:<account>:stateMachine:<name> -> ...:execution:<name>:<executionName>
    return stateMachineArn(pipeline).replaceFirst(":stateMachine:", ":execution:")
        + ":"
        + executionName;
  }

  @Override
  public void start(String pipeline, String executionName, ExecutionInput input) {
    String inputJson = write(input);
    String stateMachineArn = stateMachineArn(pipeline);
    try {
      sfn.get()
          .startExecution(
              b ->
                  b.stateMachineArn(stateMachineArn)
                      .name(executionName)
                      .input(inputJson)
                      .overrideConfiguration(
                          o -> o.addPlugin(StartRetries.THROTTLING_LEFT_TO_THE_CALLER)));
    } catch (AwsServiceException e) {
      // The SDK has retried what was transient but not throttled; a throttled start is the
      // caller's to pace (see StartPacing).
      String message =
          "Step Functions did not start execution " + executionName + ": " + e.getMessage();
      throw e.isThrottlingException()
          ? new WorkflowThrottledException(message, e)
          : new WorkflowUnavailableException(message, e);
    } catch (SdkException e) {
      throw new WorkflowUnavailableException(
          "Step Functions did not start execution " + executionName + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void stop(String executionArn, String cause) {
    try {
      sfn.get().stopExecution(b -> b.executionArn(executionArn).cause(cause));
    } catch (ExecutionDoesNotExistException neverStarted) {
      // Nothing to stop: the task is cancelled all the same.
    } catch (SdkException e) {
      throw new WorkflowUnavailableException(
          "Step Functions did not stop execution " + executionArn + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<ExecutionState> describe(String executionArn) {
    try {
      DescribeExecutionResponse d = sfn.get().describeExecution(b -> b.executionArn(executionArn));
      return Optional.of(
          new ExecutionState(
              d.statusAsString(),
              d.redriveCount() == null ? 0 : d.redriveCount(),
              d.error(),
              d.cause()));
    } catch (ExecutionDoesNotExistException neverStarted) {
      return Optional.empty();
    } catch (SdkException e) {
      throw new WorkflowUnavailableException(
          "Step Functions did not describe execution " + executionArn + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void sendTaskSuccess(String token, String outputJson) {
    answer(() -> sfn.get().sendTaskSuccess(b -> b.taskToken(token).output(outputJson)));
  }

  @Override
  public void sendTaskFailure(String token, String error, String cause) {
    answer(() -> sfn.get().sendTaskFailure(b -> b.taskToken(token).error(error).cause(cause)));
  }

  private static void answer(Runnable send) {
    try {
      send.run();
    } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException gone) {
      throw new TaskTokenGoneException(
          "the execution no longer waits for this answer: " + gone.awsErrorDetails().errorCode(),
          gone);
    } catch (SdkException e) {
      throw new WorkflowUnavailableException(
          "Step Functions did not take the answer: " + e.getMessage(), e);
    }
  }

  /**
   * A start's retries in the SDK: every transient failure but throttling, which the caller paces
   * ({@code StartPacing}, whose attempts would otherwise each hide the SDK's own throttled retries:
   * 4 paced attempts were 16 calls, with two back-offs stacked). A holder class, so that a function
   * that never starts an execution does not load the retry classes at init.
   */
  private static final class StartRetries {
    static final RetryStrategy STRATEGY =
        StandardRetryStrategy.builder()
            .useClientDefaults(false)
            .retryOnException(SfnWorkflow::transientButNotThrottling)
            .maxAttempts(3)
            .backoffStrategy(
                BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(20)))
            .circuitBreakerEnabled(false)
            .build();

    static final SdkPlugin THROTTLING_LEFT_TO_THE_CALLER =
        config ->
            config.overrideConfiguration(
                config.overrideConfiguration().toBuilder().retryStrategy(STRATEGY).build());
  }

  /**
   * What the SDK's standard strategy retries (connection failures, 5xx answers, its retryable
   * errors) except throttling. Safe for a start: the same name and input is the same execution.
   */
  static boolean transientButNotThrottling(Throwable t) {
    if (!(t instanceof SdkException e) || RetryUtils.isThrottlingException(e)) {
      return false;
    }
    return RetryUtils.isRetryableException(e)
        || e instanceof SdkServiceException s && s.statusCode() >= 500
        || e.getCause() instanceof IOException;
  }

  private String stateMachineArn(String pipeline) {
    String arn = stateMachines.get(pipeline);
    if (arn == null || arn.isBlank()) {
      throw new WorkflowUnavailableException(
          "no state machine is configured for pipeline "
              + pipeline
              + " (stepwise.workflow.state-machine-arns)",
          null);
    }
    return arn;
  }

  private String write(ExecutionInput input) {
    try {
      return json.writeValueAsString(input);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
