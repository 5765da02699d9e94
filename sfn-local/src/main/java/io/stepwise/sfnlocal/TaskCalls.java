package io.stepwise.sfnlocal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Task state's call to its resource: a mocked response when the execution runs a mock-config test
 * case that names this state, else the Lambda function (the optimised {@code lambda:invoke}
 * integration, or a function ARN). Records the history events AWS records (TaskScheduled with
 * resource, resourceType, region and the parameters; TaskStarted;
 * TaskSucceeded/TaskFailed/TaskTimedOut), and bounds the call by TimeoutSeconds and
 * HeartbeatSeconds (a function cannot send heartbeats, so a call longer than HeartbeatSeconds times
 * out with {@code States.HeartbeatTimeout}).
 */
final class TaskCalls {

  static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
  private static final int NO_TIMEOUT = 99999999;

  private final LambdaInvoker lambdas;
  private final ExecutorService calls;

  TaskCalls(LambdaInvoker lambdas, ExecutorService calls) {
    this.lambdas = lambdas;
    this.calls = calls;
  }

  JsonNode call(Execution ex, String stateName, DataFlow flow, JsonNode params)
      throws InterruptedException {
    JsonNode state = flow.state;
    String resource = state.path("Resource").asText();
    int timeout = seconds(flow, "TimeoutSeconds", NO_TIMEOUT);
    int heartbeat = seconds(flow, "HeartbeatSeconds", NO_TIMEOUT);
    String[] type = resourceType(resource);
    ObjectNode scheduled =
        Paths.JSON
            .createObjectNode()
            .put("resourceType", type[0])
            .put("resource", type[1])
            .put("region", StepFunctionsEmulator.REGION)
            .put("parameters", params.toString());
    if (timeout != NO_TIMEOUT) {
      scheduled.put("timeoutInSeconds", timeout);
    }
    if (heartbeat != NO_TIMEOUT) {
      scheduled.put("heartbeatInSeconds", heartbeat);
    }
    ex.event("TaskScheduled", "taskScheduledEventDetails", scheduled);
    ex.event(
        "TaskStarted",
        "taskStartedEventDetails",
        Paths.JSON.createObjectNode().put("resourceType", type[0]).put("resource", type[1]));
    JsonNode mocked = ex.mockedResponse(stateName);
    if (mocked != null) {
      return mocked(ex, type, mocked);
    }
    boolean optimised = resource.startsWith(LAMBDA_INVOKE);
    String function;
    JsonNode payload;
    if (optimised) {
      function = InProcessLambdas.functionName(params.path("FunctionName").asText());
      payload = params.has("Payload") ? params.get("Payload") : Paths.JSON.createObjectNode();
    } else if (resource.startsWith("arn:aws:lambda:")) {
      function = InProcessLambdas.functionName(resource);
      payload = params;
    } else {
      throw failed(
          ex,
          type,
          "States.Runtime",
          "The resource "
              + resource
              + " is not supported by the local emulator without a mocked response");
    }
    Future<String> call = calls.submit(() -> lambdas.invoke(function, payload.toString()));
    String raw;
    try {
      raw = call.get(Math.min(timeout, heartbeat), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      String error = heartbeat < timeout ? "States.HeartbeatTimeout" : "States.Timeout";
      String cause =
          heartbeat < timeout
              ? "No heartbeat within " + heartbeat + " seconds"
              : "Task timed out after " + timeout + " seconds";
      ex.event(
          "TaskTimedOut",
          "taskTimedOutEventDetails",
          Paths.JSON
              .createObjectNode()
              .put("resourceType", type[0])
              .put("resource", type[1])
              .put("error", error)
              .put("cause", cause));
      throw new StatesError(error, cause);
    } catch (InterruptedException e) {
      call.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof LambdaInvoker.LambdaFailure failure) {
        throw failed(ex, type, failure.errorType(), failure.errorJson());
      }
      throw failed(ex, type, "Lambda.ServiceException", String.valueOf(e.getCause()));
    }
    JsonNode output;
    try {
      output = Paths.JSON.readTree(raw);
    } catch (JsonProcessingException e) {
      output = TextNode.valueOf(raw);
    }
    JsonNode result = optimised ? invokeResponse(output) : output;
    succeeded(ex, type, result);
    return result;
  }

  /** Lambda's Invoke response as the optimised integration returns it. */
  private static JsonNode invokeResponse(JsonNode payload) {
    ObjectNode result = Paths.JSON.createObjectNode();
    result.put("ExecutedVersion", "$LATEST");
    result.set("Payload", payload);
    result.putObject("SdkHttpMetadata").put("httpStatusCode", 200);
    result.putObject("SdkResponseMetadata").put("requestId", UUID.randomUUID().toString());
    result.put("StatusCode", 200);
    return result;
  }

  /** A mock-config response: {@code Return} is the service's response, {@code Throw} its error. */
  private static JsonNode mocked(Execution ex, String[] type, JsonNode response) {
    if (response.has("Throw")) {
      JsonNode t = response.get("Throw");
      throw failed(
          ex, type, t.path("Error").asText("States.TaskFailed"), t.path("Cause").asText(null));
    }
    JsonNode result = response.path("Return");
    succeeded(ex, type, result);
    return result;
  }

  private static void succeeded(Execution ex, String[] type, JsonNode result) {
    ex.event(
        "TaskSucceeded",
        "taskSucceededEventDetails",
        Paths.JSON
            .createObjectNode()
            .put("resourceType", type[0])
            .put("resource", type[1])
            .put("output", result.toString()));
  }

  private static StatesError failed(Execution ex, String[] type, String error, String cause) {
    ex.event(
        "TaskFailed",
        "taskFailedEventDetails",
        Paths.JSON
            .createObjectNode()
            .put("resourceType", type[0])
            .put("resource", type[1])
            .put("error", error)
            .put("cause", cause));
    return new StatesError(error, cause);
  }

  /**
   * {@code arn:aws:states:::lambda:invoke} → (lambda, invoke); {@code
   * arn:aws:states:::dynamodb:putItem} → (dynamodb, putItem); a function ARN → (lambda, the ARN).
   */
  static String[] resourceType(String resource) {
    if (resource.startsWith("arn:aws:states:::")) {
      String rest = resource.substring("arn:aws:states:::".length());
      int colon = rest.indexOf(':');
      return colon < 0
          ? new String[] {rest, rest}
          : new String[] {rest.substring(0, colon), rest.substring(colon + 1)};
    }
    return new String[] {resource.startsWith("arn:aws:lambda:") ? "lambda" : "activity", resource};
  }

  /**
   * TimeoutSeconds / HeartbeatSeconds, or their Path forms read from the effective input (a
   * positive integer).
   */
  static int seconds(DataFlow flow, String field, int absent) {
    JsonNode value;
    if (flow.state.has(field)) {
      value = flow.value(flow.state.get(field), field);
    } else if (flow.state.has(field + "Path")) {
      value =
          Paths.resolve(
              flow.state.get(field + "Path").asText(),
              flow.effectiveInput(),
              flow.context,
              flow.vars);
    } else {
      return absent;
    }
    if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() <= 0) {
      throw new StatesError("States.Runtime", field + " must be a positive integer, got " + value);
    }
    return value.asInt();
  }
}
