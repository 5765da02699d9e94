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
import java.util.function.Consumer;

/**
 * A Task state's call to its resource: a mocked response when the execution runs a mock-config test
 * case that names this state, else the Lambda function (the optimised {@code lambda:invoke}
 * integration, or a function ARN). Records the history events AWS records (TaskScheduled with
 * resource, resourceType, region and the parameters; TaskStarted;
 * TaskSucceeded/TaskFailed/TaskTimedOut), and bounds the call by TimeoutSeconds and
 * HeartbeatSeconds (a function cannot send heartbeats, so a call longer than HeartbeatSeconds times
 * out with {@code States.HeartbeatTimeout}).
 *
 * <p>A callback task ({@code .waitForTaskToken} on an integration) gets a task token before its
 * parameters are evaluated ({@code $$.Task.Token}); it calls the resource as usual (TaskSubmitted
 * records the response), then waits until SendTaskSuccess or SendTaskFailure returns the token, its
 * HeartbeatSeconds pass without SendTaskHeartbeat ({@code States.HeartbeatTimeout}), or its
 * TimeoutSeconds pass ({@code States.Timeout}). Mocked, it takes the mocked response as what the
 * callback returned, as Step Functions Local does.
 */
final class TaskCalls {

  static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
  static final String WAIT_FOR_TASK_TOKEN = ".waitForTaskToken";
  private static final int NO_TIMEOUT = Callback.NO_TIMEOUT;

  private final LambdaInvoker lambdas;
  private final ExecutorService calls;
  private final TaskTokens tokens;
  private final Consumer<Execution> persist;

  TaskCalls(
      LambdaInvoker lambdas,
      ExecutorService calls,
      TaskTokens tokens,
      Consumer<Execution> persist) {
    this.lambdas = lambdas;
    this.calls = calls;
    this.tokens = tokens;
    this.persist = persist;
  }

  /** Whether this Task state is a callback task: an integration with {@code .waitForTaskToken}. */
  static boolean waitsForToken(JsonNode state) {
    String resource = state.path("Resource").asText();
    return resource.startsWith("arn:aws:states:::") && resource.endsWith(WAIT_FOR_TASK_TOKEN);
  }

  /**
   * The callback task of a callback state about to run at this key: the one a resumed run picks up
   * (same token), else a new one, registered and persisted before anything sees its token. Its
   * token goes into the context object ({@code $$.Task.Token}).
   */
  Callback callback(Execution ex, String key, DataFlow flow) {
    Callback callback = ex.restoredCallback(key);
    if (callback != null) {
      synchronized (ex) {
        callback.beat(System.currentTimeMillis()); // no heartbeat could reach a stopped emulator
        callback.resumedWait = true;
      }
    } else {
      int timeout = seconds(flow, "TimeoutSeconds", NO_TIMEOUT);
      int heartbeat = seconds(flow, "HeartbeatSeconds", NO_TIMEOUT);
      long now = System.currentTimeMillis();
      callback =
          new Callback(TaskTokens.mint(), key, timeout, heartbeat, Callback.deadline(now, timeout));
      tokens.register(callback.token, ex);
      ex.putCallback(callback);
      persist.accept(ex);
    }
    flow.context.putObject("Task").put("Token", callback.token);
    return callback;
  }

  JsonNode call(Execution ex, String stateName, DataFlow flow, JsonNode params)
      throws InterruptedException {
    return call(ex, stateName, flow, params, null);
  }

  /** The call; {@code callback} is the callback task of a callback state (else null). */
  JsonNode call(Execution ex, String stateName, DataFlow flow, JsonNode params, Callback callback)
      throws InterruptedException {
    JsonNode state = flow.state;
    String resource = state.path("Resource").asText();
    String[] type = resourceType(resource);
    if (callback != null && callback.resumedWait) {
      return awaitCallback(ex, type, callback); // scheduled before the restart: only wait
    }
    int timeout =
        callback != null ? callback.timeoutSeconds : seconds(flow, "TimeoutSeconds", NO_TIMEOUT);
    int heartbeat =
        callback != null
            ? callback.heartbeatSeconds
            : seconds(flow, "HeartbeatSeconds", NO_TIMEOUT);
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
    if (mocked != null && callback != null) {
      // the mocked response is what the callback returns
      JsonNode t = mocked.path("Throw");
      synchronized (ex) {
        callback.close(
            mocked.has("Throw")
                ? Callback.Outcome.failed(
                    t.path("Error").asText("States.TaskFailed"), t.path("Cause").asText(null))
                : Callback.Outcome.succeeded(mocked.path("Return")));
      }
      return awaitCallback(ex, type, callback);
    }
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
      close(ex, callback);
      throw failed(
          ex,
          type,
          "States.Runtime",
          "The resource "
              + resource
              + " is not supported by the local emulator without a mocked response");
    }
    Future<String> call = calls.submit(() -> lambdas.invoke(function, payload.toString()));
    if (callback != null) {
      String submitted = awaitSubmission(ex, type, call, callback);
      if (submitted != null) {
        ex.event(
            "TaskSubmitted",
            "taskSubmittedEventDetails",
            Paths.JSON
                .createObjectNode()
                .put("resourceType", type[0])
                .put("resource", type[1])
                .put("output", invokeResponse(parse(submitted)).toString()));
        persist.accept(ex); // waiting from here on: what a restart finds
      }
      return awaitCallback(ex, type, callback);
    }
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
      throw timedOut(ex, type, error, cause);
    } catch (InterruptedException e) {
      call.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof LambdaInvoker.LambdaFailure failure) {
        throw failed(ex, type, failure.errorType(), failure.errorJson());
      }
      throw failed(ex, type, "Lambda.ServiceException", String.valueOf(e.getCause()));
    }
    JsonNode output = parse(raw);
    JsonNode result = optimised ? invokeResponse(output) : output;
    succeeded(ex, type, result);
    return result;
  }

  private static JsonNode parse(String raw) {
    try {
      JsonNode parsed = Paths.JSON.readTree(raw);
      return parsed == null ? TextNode.valueOf(raw) : parsed;
    } catch (JsonProcessingException e) {
      return TextNode.valueOf(raw);
    }
  }

  private static void close(Execution ex, Callback callback) {
    if (callback != null) {
      synchronized (ex) {
        callback.close(Callback.Outcome.closed());
      }
    }
  }

  /**
   * A callback task's call to its resource: the response, or null when the task ended (timed out,
   * or answered and then out of time) before the resource answered. The task's deadlines bound the
   * call; a heartbeat sent meanwhile (the function may send one) extends it.
   */
  private String awaitSubmission(
      Execution ex, String[] type, Future<String> call, Callback callback)
      throws InterruptedException {
    while (true) {
      Callback.Outcome outcome;
      long wait;
      synchronized (ex) {
        long now = System.currentTimeMillis();
        outcome = callback.expire(now);
        wait = callback.millisToDeadline(now);
      }
      if (outcome != null
          && (outcome.kind() != Callback.Kind.SUCCEEDED && outcome.kind() != Callback.Kind.FAILED
              || wait <= 0)) {
        call.cancel(true);
        return null;
      }
      try {
        return call.get(Math.max(1, wait), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // a deadline passed, or was moved by a heartbeat: look again
      } catch (InterruptedException e) {
        call.cancel(true);
        close(ex, callback);
        throw e;
      } catch (ExecutionException e) {
        close(ex, callback);
        if (e.getCause() instanceof LambdaInvoker.LambdaFailure failure) {
          throw failed(ex, type, failure.errorType(), failure.errorJson());
        }
        throw failed(ex, type, "Lambda.ServiceException", String.valueOf(e.getCause()));
      }
    }
  }

  /**
   * Waits until the callback task ends, then records how (TaskSucceeded, TaskFailed, TaskTimedOut)
   * and returns the output SendTaskSuccess sent or throws the error. Closed (the execution ended
   * meanwhile) is an interruption: what ended the execution has been recorded.
   */
  private JsonNode awaitCallback(Execution ex, String[] type, Callback callback)
      throws InterruptedException {
    Callback.Outcome outcome;
    while (true) {
      long wait;
      synchronized (ex) {
        long now = System.currentTimeMillis();
        outcome = callback.expire(now);
        wait = callback.millisToDeadline(now);
      }
      if (outcome != null) {
        break;
      }
      try {
        outcome = callback.done.get(Math.max(1, wait), TimeUnit.MILLISECONDS);
        break;
      } catch (TimeoutException e) {
        // a deadline passed, or was moved by a heartbeat: look again
      } catch (InterruptedException e) {
        close(ex, callback);
        throw e;
      } catch (ExecutionException e) {
        throw new IllegalStateException(e);
      }
    }
    synchronized (ex) {
      callback.consumed = true;
    }
    switch (outcome.kind()) {
      case SUCCEEDED -> {
        succeeded(ex, type, outcome.output());
        return outcome.output();
      }
      case FAILED -> throw failed(ex, type, outcome.error(), outcome.cause());
      case HEARTBEAT_TIMEOUT, TIMEOUT -> throw timedOut(ex, type, outcome.error(), outcome.cause());
      default -> throw new InterruptedException("the execution ended while the task waited");
    }
  }

  private static StatesError timedOut(Execution ex, String[] type, String error, String cause) {
    ex.event(
        "TaskTimedOut",
        "taskTimedOutEventDetails",
        Paths.JSON
            .createObjectNode()
            .put("resourceType", type[0])
            .put("resource", type[1])
            .put("error", error)
            .put("cause", cause));
    return new StatesError(error, cause);
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
    ObjectNode details =
        Paths.JSON.createObjectNode().put("resourceType", type[0]).put("resource", type[1]);
    if (error != null) {
      details.put("error", error);
    }
    if (cause != null) {
      details.put("cause", cause);
    }
    ex.event("TaskFailed", "taskFailedEventDetails", details);
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
