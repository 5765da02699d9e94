package io.stepwise.sfnlocal.testing;

import io.stepwise.sfnlocal.ExecutionSummary;
import io.stepwise.sfnlocal.StepFunctionsEmulator;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The emulator as tests that drive the steps themselves use it: state machines whose executions are
 * held in their one Task state ({@link HeldTasks}) until stopped or completed by the test, and
 * every request seen by {@link Traffic} (recorded calls, injected AWS errors, latency, overlap).
 * Point the unchanged {@code SfnClient} at {@link #endpoint()}.
 */
public final class HeldStepFunctions implements AutoCloseable {

  private static final Duration SETTLE = Duration.ofSeconds(10);

  private final Traffic traffic = new Traffic();
  private final HeldTasks tasks = new HeldTasks();
  private final StepFunctionsEmulator emulator;

  private HeldStepFunctions(String account) {
    emulator =
        StepFunctionsEmulator.builder().account(account).lambdas(tasks).hook(traffic).start();
  }

  /**
   * An emulator in the account of these state machine ARNs ({@code
   * arn:aws:states:us-east-1:<account>:stateMachine:<name>}), with a held state machine at each.
   */
  public static HeldStepFunctions start(String... stateMachineArns) {
    if (stateMachineArns.length == 0) {
      throw new IllegalArgumentException("name at least one state machine ARN");
    }
    HeldStepFunctions sfn = new HeldStepFunctions(parts(stateMachineArns[0])[4]);
    for (String arn : stateMachineArns) {
      sfn.stateMachine(arn);
    }
    return sfn;
  }

  /** Creates a held state machine at this ARN (in this emulator's account), unless it exists. */
  public HeldStepFunctions stateMachine(String stateMachineArn) {
    String[] parts = parts(stateMachineArn);
    if (!parts[3].equals(StepFunctionsEmulator.REGION) || !parts[4].equals(emulator.account())) {
      throw new IllegalArgumentException(
          stateMachineArn
              + " is not in "
              + StepFunctionsEmulator.REGION
              + " and account "
              + emulator.account());
    }
    emulator.createStateMachine(parts[6], HeldTasks.DEFINITION);
    return this;
  }

  public URI endpoint() {
    return emulator.endpoint();
  }

  public StepFunctionsEmulator emulator() {
    return emulator;
  }

  public Traffic traffic() {
    return traffic;
  }

  public HeldTasks tasks() {
    return tasks;
  }

  public List<Traffic.Call> calls() {
    return traffic.calls();
  }

  public List<Traffic.Call> calls(String operation) {
    return traffic.calls(operation);
  }

  /** See {@link Traffic#failNext}. */
  public void failNext(String operation, int httpStatus, String errorName, String message) {
    traffic.failNext(operation, httpStatus, errorName, message);
  }

  public void clearFailures() {
    traffic.clearFailures();
  }

  /** See {@link Traffic#latency}. */
  public void latency(String operation, long millis) {
    traffic.latency(operation, millis);
  }

  public int maxConcurrent(String operation) {
    return traffic.maxConcurrent(operation);
  }

  public Optional<ExecutionSummary> execution(String executionArn) {
    return emulator.execution(executionArn);
  }

  public List<ExecutionSummary> executions() {
    return emulator.executions();
  }

  /**
   * Ends a held execution: SUCCEEDED (output {@code {}}) or FAILED with this error and cause.
   * Returns once the emulator reports the new status.
   */
  public ExecutionSummary complete(String executionArn, String status, String error, String cause) {
    switch (status) {
      case "SUCCEEDED" -> tasks.succeed(executionArn, "{}");
      case "FAILED" -> tasks.fail(executionArn, error, cause);
      default ->
          throw new IllegalArgumentException(
              "a held execution is completed SUCCEEDED or FAILED (stop it to abort it): " + status);
    }
    Instant deadline = Instant.now().plus(SETTLE);
    while (Instant.now().isBefore(deadline)) {
      ExecutionSummary now = emulator.execution(executionArn).orElseThrow();
      if (now.status().equals(status)) {
        return now;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException(executionArn + " did not become " + status);
  }

  @Override
  public void close() {
    emulator.close();
  }

  private static String[] parts(String stateMachineArn) {
    String[] parts = stateMachineArn.split(":");
    if (parts.length != 7 || !parts[2].equals("states") || !parts[5].equals("stateMachine")) {
      throw new IllegalArgumentException("not a state machine ARN: " + stateMachineArn);
    }
    return parts;
  }
}
