package io.stepwise.health;

/** No model of that name is configured. */
public class UnknownModelException extends RuntimeException {

  public UnknownModelException(String name) {
    super("no model named '" + name + "' is configured");
  }
}
