package io.stepwise.sfnlocal;

/** Invokes a Lambda function by name with a JSON payload, the way the Lambda service does. */
public interface LambdaInvoker {

  /**
   * The function's JSON result. A function error surfaces as a {@link StatesError}-compatible
   * failure: the error name is the exception's fully qualified class name, the cause the Lambda
   * error JSON.
   */
  String invoke(String functionName, String payloadJson) throws LambdaFailure;

  /** A function error as the Lambda service reports it. */
  final class LambdaFailure extends Exception {
    private final String errorType;
    private final String errorJson;

    public LambdaFailure(String errorType, String errorJson) {
      super(errorType, null, false, false);
      this.errorType = errorType;
      this.errorJson = errorJson;
    }

    public String errorType() {
      return errorType;
    }

    public String errorJson() {
      return errorJson;
    }
  }
}
