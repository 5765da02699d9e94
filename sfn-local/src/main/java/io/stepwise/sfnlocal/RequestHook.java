package io.stepwise.sfnlocal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Sees every request the emulator receives before it is handled: to record it, to delay it, or to
 * answer it with an AWS error instead (throttling, an outage). Runs on the request's own thread,
 * outside the emulator's lock, so requests a hook delays overlap as concurrent calls to the service
 * would. See {@code io.stepwise.sfnlocal.testing.Traffic} for one that tests use.
 */
public interface RequestHook {

  RequestHook NONE = (operation, request) -> {};

  /**
   * Before the emulator handles {@code request}; throw a {@link Refusal} to answer with that error
   * instead.
   *
   * @param operation the {@code X-Amz-Target} operation, e.g. {@code StartExecution}
   * @param request the JSON body
   */
  void before(String operation, JsonNode request);

  /** After the request was answered, whether handled or refused. */
  default void after(String operation) {}

  /** An AWS error answer, e.g. {@code new Refusal(400, "ThrottlingException", "Rate exceeded")}. */
  final class Refusal extends RuntimeException {
    private final int httpStatus;
    private final String errorName;

    public Refusal(int httpStatus, String errorName, String message) {
      super(message, null, false, false);
      this.httpStatus = httpStatus;
      this.errorName = errorName;
    }

    public int httpStatus() {
      return httpStatus;
    }

    /** The error code the SDK reports, e.g. {@code ThrottlingException}. */
    public String errorName() {
      return errorName;
    }
  }
}
