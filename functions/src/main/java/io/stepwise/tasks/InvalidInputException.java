package io.stepwise.tasks;

/**
 * A request's input is malformed or invalid (a 400); the message says exactly what is wrong, in our
 * words.
 */
public class InvalidInputException extends RuntimeException {

  public InvalidInputException(String message) {
    super(message);
  }
}
