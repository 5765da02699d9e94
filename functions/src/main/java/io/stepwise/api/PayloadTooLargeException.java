package io.stepwise.api;

/** A request body over the API's limit. */
public class PayloadTooLargeException extends RuntimeException {

  public PayloadTooLargeException(int limit) {
    super("request body is larger than " + limit + " bytes");
  }
}
