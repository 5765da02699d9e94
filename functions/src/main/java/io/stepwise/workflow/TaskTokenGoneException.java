package io.stepwise.workflow;

/**
 * The task token no longer waits for an answer: its execution ended (timed out, stopped, failed) or
 * the token was answered already (Step Functions' {@code TaskTimedOut}, {@code TaskDoesNotExist},
 * {@code InvalidToken}).
 */
public class TaskTokenGoneException extends RuntimeException {

  public TaskTokenGoneException(String message, Throwable cause) {
    super(message, cause);
  }
}
