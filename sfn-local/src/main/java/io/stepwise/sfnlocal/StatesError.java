package io.stepwise.sfnlocal;

/**
 * An error inside an execution, by its States Language name (e.g. {@code States.Timeout} or a Java
 * class name).
 */
final class StatesError extends RuntimeException {

  private final String error;
  private final String cause;

  StatesError(String error, String cause) {
    super(error + ": " + cause, null, false, false);
    this.error = error;
    this.cause = cause;
  }

  String error() {
    return error;
  }

  String cause() {
    return cause;
  }
}
