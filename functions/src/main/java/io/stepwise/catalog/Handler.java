package io.stepwise.catalog;

import io.micronaut.core.annotation.Nullable;
import java.util.Optional;

/**
 * One deployed Lambda function: its short name, its handler class (a no-argument constructor: the
 * Lambda entry point), what invokes it, its memory, whether it calls model providers (it then needs
 * their keys and the model health items) and, for one a state machine invokes, the Task state and
 * pipeline. {@code timeoutSeconds} is fixed for functions no state invokes; a step's comes from its
 * state's {@code TimeoutSeconds} (see the infra app).
 */
public record Handler(
    String functionName,
    Class<?> handlerClass,
    Trigger trigger,
    int memoryMb,
    int timeoutSeconds,
    boolean usesModels,
    @Nullable String pipeline,
    @Nullable String step,
    @Nullable String stateName) {

  /** What invokes a function. */
  public enum Trigger {
    /** API Gateway HTTP API (payload 2.0). */
    HTTP_API,
    /**
     * A Task state of a pipeline's state machine (a step) or of every pipeline's (record-failure).
     */
    STATE_MACHINE,
    /** An EventBridge rule on Step Functions execution status changes. */
    EXECUTION_EVENTS,
    /** An EventBridge schedule. */
    SCHEDULE
  }

  /** The Lambda handler string. */
  public String className() {
    return handlerClass.getName();
  }

  /** The Task state that invokes this function, if a state machine does. */
  public Optional<String> state() {
    return Optional.ofNullable(stateName);
  }

  /**
   * The ASL placeholder for this function's ARN, if a state machine invokes it: {@code
   * ${<State>FunctionArn}}.
   */
  public Optional<String> placeholder() {
    return state().map(s -> s + "FunctionArn");
  }

  /** Whether this function runs a step of a pipeline. */
  public boolean isStep() {
    return step != null;
  }
}
