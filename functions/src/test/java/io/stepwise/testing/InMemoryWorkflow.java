package io.stepwise.testing;

import io.stepwise.workflow.ExecutionInput;
import io.stepwise.workflow.ExecutionState;
import io.stepwise.workflow.Workflow;
import io.stepwise.workflow.WorkflowThrottledException;
import io.stepwise.workflow.WorkflowUnavailableException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Step Functions as the task service sees it: records every start attempt, the starts that went
 * through and every stop; can be told to refuse or throttle the next starts.
 */
public final class InMemoryWorkflow implements Workflow {

  public record Start(String pipeline, String executionName, ExecutionInput input) {}

  public record Stop(String executionArn, String cause) {}

  private final List<Start> attempts = new ArrayList<>();
  private final List<Start> starts = new ArrayList<>();
  private final List<Stop> stops = new ArrayList<>();
  private final Deque<RuntimeException> nextStartFailures = new ArrayDeque<>();

  @Override
  public String executionArn(String pipeline, String executionName) {
    return "arn:aws:states:us-east-1:000000000000:execution:stepwise-"
        + pipeline
        + ":"
        + executionName;
  }

  @Override
  public synchronized void start(String pipeline, String executionName, ExecutionInput input) {
    Start start = new Start(pipeline, executionName, input);
    attempts.add(start);
    RuntimeException failure = nextStartFailures.poll();
    if (failure != null) {
      throw failure;
    }
    starts.add(start);
  }

  @Override
  public synchronized void stop(String executionArn, String cause) {
    stops.add(new Stop(executionArn, cause));
  }

  /** An answer sent to a task token. */
  public record Answer(String token, boolean success, String outputOrError, String cause) {}

  private final List<Answer> answers = new ArrayList<>();

  @Override
  public synchronized void sendTaskSuccess(String token, String outputJson) {
    answers.add(new Answer(token, true, outputJson, null));
  }

  @Override
  public synchronized void sendTaskFailure(String token, String error, String cause) {
    answers.add(new Answer(token, false, error, cause));
  }

  public synchronized List<Answer> answers() {
    return List.copyOf(answers);
  }

  private final Map<String, ExecutionState> executions = new HashMap<>();

  private final Set<String> undescribable = new HashSet<>();

  @Override
  public synchronized Optional<ExecutionState> describe(String executionArn) {
    if (undescribable.contains(executionArn)) {
      throw new WorkflowUnavailableException("DescribeExecution failed for " + executionArn, null);
    }
    return Optional.ofNullable(executions.get(executionArn));
  }

  /** Describing this execution fails as when Step Functions cannot be reached. */
  public synchronized void undescribable(String executionArn) {
    undescribable.add(executionArn);
  }

  /** What {@link #describe} answers for this execution from now on. */
  public synchronized void execution(String executionArn, ExecutionState state) {
    executions.put(executionArn, state);
  }

  /** The next start is refused (e.g. the state machine does not exist, or Step Functions fails). */
  public synchronized void refuseNextStart() {
    nextStartFailures.add(
        new WorkflowUnavailableException("StartExecution failed: StateMachineDoesNotExist", null));
  }

  /** The next {@code times} starts are throttled. */
  public synchronized void throttleNextStarts(int times) {
    for (int i = 0; i < times; i++) {
      nextStartFailures.add(
          new WorkflowThrottledException("StartExecution throttled: Rate exceeded", null));
    }
  }

  /** Every start call, including refused and throttled ones. */
  public synchronized List<Start> attempts() {
    return List.copyOf(attempts);
  }

  /** The starts Step Functions accepted. */
  public synchronized List<Start> starts() {
    return List.copyOf(starts);
  }

  public synchronized List<Stop> stops() {
    return List.copyOf(stops);
  }
}
