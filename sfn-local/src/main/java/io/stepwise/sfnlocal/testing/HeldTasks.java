package io.stepwise.sfnlocal.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.sfnlocal.LambdaInvoker;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Task states that wait for the test: for tests that run the steps themselves and need Step
 * Functions only to hold executions. Every execution of {@link #DEFINITION} enters its one Task
 * state and stays there, RUNNING, until it is stopped (StopExecution) or the test {@linkplain
 * #succeed succeeds} or {@linkplain #fail fails} that task. A failed execution can be redriven: it
 * waits in the Task state again.
 */
public final class HeldTasks implements LambdaInvoker {

  /** The function the held Task state invokes. */
  public static final String FUNCTION = "held";

  /** One Task state, no Retry, no timeout: the execution's output is the task's result. */
  public static final String DEFINITION =
      """
      {"Comment":"Every execution waits in Hold until the test completes its task, or it is stopped.",
       "StartAt":"Hold",
       "States":{"Hold":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
         "Parameters":{"FunctionName":"%s","Payload":{"executionArn.$":"$$.Execution.Id","input.$":"$"}},
         "OutputPath":"$.Payload","End":true}}}
      """
          .formatted(FUNCTION);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration ARRIVAL = Duration.ofSeconds(10);

  private record Outcome(String output, LambdaFailure failure) {}

  private final Map<String, CompletableFuture<Outcome>> held = new HashMap<>();

  @Override
  public String invoke(String functionName, String payloadJson) throws LambdaFailure {
    String executionArn = executionArn(payloadJson);
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    synchronized (this) {
      held.put(executionArn, outcome);
      notifyAll();
    }
    try {
      Outcome o = outcome.get();
      if (o.failure() != null) {
        throw o.failure();
      }
      return o.output();
    } catch (InterruptedException stopped) {
      // StopExecution (or the emulator closing) cancels the call; nobody reads what it returns.
      Thread.currentThread().interrupt();
      throw new LambdaFailure("States.Runtime", "{\"errorMessage\":\"stopped\"}");
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      synchronized (this) {
        held.remove(executionArn, outcome);
      }
    }
  }

  /** Whether the execution is waiting in its Task state now. */
  public synchronized boolean isHeld(String executionArn) {
    return held.containsKey(executionArn);
  }

  /**
   * Completes the execution's task with this JSON result (the execution's output); waits for it to
   * be held.
   */
  public void succeed(String executionArn, String outputJson) {
    release(executionArn, new Outcome(outputJson, null));
  }

  /**
   * Fails the execution's task with this error name and cause (which the execution then reports).
   */
  public void fail(String executionArn, String error, String cause) {
    release(executionArn, new Outcome(null, new LambdaFailure(error, cause)));
  }

  private synchronized void release(String executionArn, Outcome outcome) {
    Instant deadline = Instant.now().plus(ARRIVAL);
    while (!held.containsKey(executionArn)) {
      long left = Duration.between(Instant.now(), deadline).toMillis();
      if (left <= 0) {
        throw new IllegalStateException(
            "execution " + executionArn + " is not waiting in a held task");
      }
      try {
        wait(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + executionArn, e);
      }
    }
    held.remove(executionArn).complete(outcome);
  }

  private static String executionArn(String payloadJson) {
    try {
      JsonNode payload = JSON.readTree(payloadJson);
      if (!payload.hasNonNull("executionArn")) {
        throw new IllegalArgumentException(
            "a held task's payload names its execution (see DEFINITION): " + payloadJson);
      }
      return payload.get("executionArn").asText();
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + payloadJson, e);
    }
  }
}
