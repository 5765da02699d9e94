package io.stepwise.api;

/** The request is malformed or invalid; the message says exactly what is wrong. */
public class BadRequestException extends RuntimeException {

  public BadRequestException(String message) {
    super(message);
  }
}
