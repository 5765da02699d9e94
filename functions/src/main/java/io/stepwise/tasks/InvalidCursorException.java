package io.stepwise.tasks;

/** A list cursor that this service did not produce. */
public class InvalidCursorException extends IllegalArgumentException {

  public InvalidCursorException(String cursor) {
    super("cursor is not one this API returned: " + cursor);
  }
}
