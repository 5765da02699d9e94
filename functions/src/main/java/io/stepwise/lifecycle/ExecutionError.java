package io.stepwise.lifecycle;

/**
 * An execution's error as a user should see it: a short type ({@code TransientStepException},
 * {@code States.Timeout}) and the message.
 */
public record ExecutionError(String type, String message) {

  public static final ExecutionError NONE = new ExecutionError("Unknown", "");
}
