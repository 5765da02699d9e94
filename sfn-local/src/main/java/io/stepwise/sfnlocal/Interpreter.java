package io.stepwise.sfnlocal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs an execution through the States Language: Task, Choice, Pass, Wait, Succeed, Fail, Parallel, inline
 * Map; Retry and Catch; InputPath, Parameters, ResultSelector, ResultPath, OutputPath; the context object;
 * TimeoutSeconds. Retry intervals and Waits are multiplied by the time scale. A redrive re-runs a failed
 * Parallel or Map state whole (AWS re-runs only its failed branches or iterations).
 */
final class Interpreter {

  private static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";

  private final LambdaInvoker lambdas;
  private final double timeScale;
  private final ExecutorService tasks;
  private final Consumer<Execution> statusChanged;
  private final Consumer<Execution> progressed;
  private final Random random = new Random();

  Interpreter(LambdaInvoker lambdas, double timeScale, ExecutorService tasks, Consumer<Execution> statusChanged) {
    this(lambdas, timeScale, tasks, statusChanged, ex -> { });
  }

  /** {@code progressed} hears of every top-level state the execution enters (to persist where it is). */
  Interpreter(LambdaInvoker lambdas, double timeScale, ExecutorService tasks, Consumer<Execution> statusChanged, Consumer<Execution> progressed) {
    this.lambdas = lambdas;
    this.timeScale = timeScale;
    this.tasks = tasks;
    this.statusChanged = statusChanged;
    this.progressed = progressed;
  }

  /**
   * A state's outcome: the next state (null when the execution ends), the output, and whether a Catch chose
   * the next state (the state did not complete).
   */
  private record Step(String next, JsonNode output, boolean caught) {
    Step(String next, JsonNode output) {
      this(next, output, false);
    }
  }

  void run(Execution ex, JsonNode definition, String startState, JsonNode input) {
    try {
      JsonNode output = states(ex, definition, startState, input, true);
      if (output != null) {
        finish(ex, "SUCCEEDED", output.toString(), null, null);
      }
    } catch (StatesError e) {
      finish(ex, "FAILED", null, e.error(), e.cause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopped: StopExecution has already recorded the abort
    }
  }

  /**
   * Runs a state machine (the execution's, or a Parallel branch or Map iteration) from {@code start} to its
   * end; returns the output, or null when the execution was stopped. Only the top level records where a
   * redrive resumes.
   */
  private JsonNode states(Execution ex, JsonNode definition, String start, JsonNode input, boolean topLevel) throws InterruptedException {
    String name = start;
    JsonNode current = input;
    while (name != null) {
      JsonNode state = definition.path("States").get(name);
      if (state == null) {
        throw new StatesError("States.Runtime", "no state named " + name);
      }
      synchronized (ex) {
        if (ex.stopRequested) {
          return null;
        }
        if (topLevel) {
          ex.resumeState = name;
          ex.resumeInput = current;
        }
      }
      String type = state.path("Type").asText();
      ex.event(type + "StateEntered", "stateEnteredEventDetails", details(name, "input", current));
      if (topLevel) {
        progressed.accept(ex);
      }
      Step step = execute(ex, name, state, current, Instant.now());
      ex.event(type + "StateExited", "stateExitedEventDetails", details(name, "output", step.output()));
      if (topLevel) {
        rememberReplayPoint(ex, name, type, current, step);
      }
      name = step.next();
      current = step.output();
    }
    return current;
  }

  /**
   * Where a crash-resume starts: the last top-level task state that completed (not one a Catch left), with its
   * input. A caught failure clears it, so a resume never re-runs a step that failed terminally.
   */
  private static void rememberReplayPoint(Execution ex, String name, String type, JsonNode input, Step step) {
    boolean task = type.equals("Task") || type.equals("Parallel") || type.equals("Map");
    synchronized (ex) {
      if (step.caught()) {
        ex.replayState = null;
        ex.replayInput = null;
      } else if (task) {
        ex.replayState = name;
        ex.replayInput = input;
      }
    }
  }

  private void finish(Execution ex, String status, String output, String error, String cause) {
    synchronized (ex) {
      if (ex.stopRequested || !ex.status.equals("RUNNING")) {
        return;
      }
      ex.status = status;
      ex.stopDate = Instant.now();
      ex.output = output;
      ex.error = error;
      ex.cause = cause;
      if (status.equals("SUCCEEDED")) {
        ex.resumeState = null;
        ex.event("ExecutionSucceeded", "executionSucceededEventDetails", Paths.JSON.createObjectNode().put("output", output));
      } else {
        ex.event("ExecutionFailed", "executionFailedEventDetails", Paths.JSON.createObjectNode().put("error", error).put("cause", cause));
      }
    }
    statusChanged.accept(ex);
  }

  private Step execute(Execution ex, String name, JsonNode state, JsonNode input, Instant entered) throws InterruptedException {
    return switch (state.path("Type").asText()) {
      case "Task", "Parallel", "Map" -> task(ex, name, state, input, entered);
      case "Choice" -> choice(state, input);
      case "Pass" -> pass(ex, name, state, input, entered);
      case "Wait" -> waitState(state, input);
      case "Succeed" -> new Step(null, Paths.select(Paths.select(input, state.get("InputPath")), state.get("OutputPath")));
      case "Fail" -> throw fail(state, input);
      default -> throw new StatesError("States.Runtime", "state type " + state.path("Type").asText() + " is not supported by the local emulator yet");
    };
  }

  private static Step next(JsonNode state, JsonNode output) {
    return new Step(state.path("End").asBoolean(false) ? null : state.path("Next").asText(), output);
  }

  private Step choice(JsonNode state, JsonNode input) {
    JsonNode effective = Paths.select(input, state.get("InputPath"));
    for (JsonNode rule : state.path("Choices")) {
      if (ChoiceRules.matches(rule, effective)) {
        return new Step(rule.get("Next").asText(), Paths.select(effective, state.get("OutputPath")));
      }
    }
    if (state.has("Default")) {
      return new Step(state.get("Default").asText(), Paths.select(effective, state.get("OutputPath")));
    }
    throw new StatesError("States.NoChoiceMatched", "No Choice rule matched and no Default in the Choice state");
  }

  private Step pass(Execution ex, String name, JsonNode state, JsonNode input, Instant entered) {
    JsonNode effective = Paths.select(input, state.get("InputPath"));
    JsonNode result = state.has("Result") ? state.get("Result")
        : state.has("Parameters") ? Paths.template(state.get("Parameters"), effective, context(ex, name, entered, 0)) : effective;
    return next(state, Paths.select(Paths.place(input, resultPath(state), result), state.get("OutputPath")));
  }

  private Step waitState(JsonNode state, JsonNode input) throws InterruptedException {
    double seconds;
    if (state.has("Seconds")) {
      seconds = state.get("Seconds").asDouble();
    } else if (state.has("SecondsPath")) {
      seconds = Paths.read(input, state.get("SecondsPath").asText()).asDouble();
    } else {
      String at = state.has("Timestamp") ? state.get("Timestamp").asText() : Paths.read(input, state.get("TimestampPath").asText()).asText();
      seconds = Math.max(0, Duration.between(Instant.now(), Instant.parse(at)).toMillis() / 1000.0);
    }
    sleep(seconds);
    return next(state, Paths.select(input, state.get("OutputPath")));
  }

  private static StatesError fail(JsonNode state, JsonNode input) {
    String error = state.has("ErrorPath") ? Paths.read(input, state.get("ErrorPath").asText()).asText() : state.path("Error").asText(null);
    String cause = state.has("CausePath") ? Paths.read(input, state.get("CausePath").asText()).asText() : state.path("Cause").asText(null);
    return new StatesError(error, cause);
  }

  private Step task(Execution ex, String name, JsonNode state, JsonNode input, Instant entered) throws InterruptedException {
    JsonNode effective = Paths.select(input, state.get("InputPath"));
    List<JsonNode> retriers = list(state.get("Retry"));
    int[] attempts = new int[retriers.size()];
    int retryCount = 0;
    while (true) {
      ObjectNode context = context(ex, name, entered, retryCount);
      try {
        JsonNode params = state.has("Parameters") && !state.path("Type").asText().equals("Map")
            ? Paths.template(state.get("Parameters"), effective, context) : effective;
        JsonNode result = switch (state.path("Type").asText()) {
          case "Parallel" -> parallel(ex, state, params);
          case "Map" -> map(ex, state, params, context);
          default -> invoke(ex, state, params);
        };
        if (state.has("ResultSelector")) {
          result = Paths.template(state.get("ResultSelector"), result, context);
        }
        return next(state, Paths.select(Paths.place(input, resultPath(state), result), state.get("OutputPath")));
      } catch (StatesError e) {
        int r = matching(retriers, e.error());
        if (r >= 0 && attempts[r] < retriers.get(r).path("MaxAttempts").asInt(3)) {
          sleep(delay(retriers.get(r), attempts[r]));
          attempts[r]++;
          retryCount++;
          continue;
        }
        List<JsonNode> catchers = list(state.get("Catch"));
        int c = matching(catchers, e.error());
        if (c >= 0) {
          ObjectNode errorOutput = Paths.JSON.createObjectNode().put("Error", e.error()).put("Cause", e.cause());
          JsonNode catcher = catchers.get(c);
          JsonNode path = catcher.has("ResultPath") ? catcher.get("ResultPath") : null;
          return new Step(catcher.get("Next").asText(), Paths.place(input, path, errorOutput), true);
        }
        throw e;
      }
    }
  }

  /** Every branch on the same input, concurrently; the output is the array of branch outputs. */
  private JsonNode parallel(Execution ex, JsonNode state, JsonNode input) throws InterruptedException {
    List<JsonNode> branches = list(state.get("Branches"));
    List<Future<JsonNode>> running = new java.util.ArrayList<>();
    for (JsonNode branch : branches) {
      running.add(tasks.submit(() -> states(ex, branch, branch.path("StartAt").asText(), input, false)));
    }
    return collect(running);
  }

  /** Inline Map: the item processor once per item of ItemsPath, at most MaxConcurrency at a time (0 = all). */
  private JsonNode map(Execution ex, JsonNode state, JsonNode input, ObjectNode context) throws InterruptedException {
    JsonNode items = state.has("ItemsPath") ? Paths.read(input, state.get("ItemsPath").asText()) : input;
    if (!items.isArray()) {
      throw new StatesError("States.Runtime", "Map ItemsPath did not select an array");
    }
    JsonNode processor = state.has("ItemProcessor") ? state.get("ItemProcessor") : state.get("Iterator");
    JsonNode selector = state.has("ItemSelector") ? state.get("ItemSelector") : state.get("Parameters");
    int limit = state.path("MaxConcurrency").asInt(0);
    java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(limit <= 0 ? Integer.MAX_VALUE : limit);
    List<Future<JsonNode>> running = new java.util.ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      ObjectNode itemContext = context.deepCopy();
      itemContext.putObject("Map").putObject("Item").put("Index", i).set("Value", items.get(i));
      JsonNode itemInput = selector == null ? items.get(i) : Paths.template(selector, input, itemContext);
      slots.acquire();
      running.add(tasks.submit(() -> {
        try {
          return states(ex, processor, processor.path("StartAt").asText(), itemInput, false);
        } finally {
          slots.release();
        }
      }));
    }
    return collect(running);
  }

  /** Outputs in order; the first failure fails the state and cancels the rest. */
  private JsonNode collect(List<Future<JsonNode>> running) throws InterruptedException {
    var out = Paths.JSON.createArrayNode();
    try {
      for (Future<JsonNode> f : running) {
        JsonNode result = f.get();
        if (result == null) {
          throw new InterruptedException("stopped");
        }
        out.add(result);
      }
      return out;
    } catch (ExecutionException e) {
      running.forEach(f -> f.cancel(true));
      if (e.getCause() instanceof StatesError error) {
        throw error;
      }
      throw new StatesError("States.Runtime", String.valueOf(e.getCause()));
    } catch (InterruptedException e) {
      running.forEach(f -> f.cancel(true));
      throw e;
    }
  }

  /** Seconds before retry n (0-based): interval × rate^n, capped, with full jitter when asked. */
  double delay(JsonNode retrier, int n) {
    double delay = retrier.path("IntervalSeconds").asDouble(1) * Math.pow(retrier.path("BackoffRate").asDouble(2.0), n);
    if (retrier.has("MaxDelaySeconds")) {
      delay = Math.min(delay, retrier.get("MaxDelaySeconds").asDouble());
    }
    if ("FULL".equals(retrier.path("JitterStrategy").asText("NONE"))) {
      delay = random.nextDouble() * delay;
    }
    return delay;
  }

  private JsonNode invoke(Execution ex, JsonNode state, JsonNode params) throws InterruptedException {
    String resource = state.path("Resource").asText();
    String function;
    JsonNode payload;
    if (resource.equals(LAMBDA_INVOKE)) {
      function = InProcessLambdas.functionName(params.path("FunctionName").asText());
      payload = params.has("Payload") ? params.get("Payload") : Paths.JSON.createObjectNode();
    } else if (resource.startsWith("arn:aws:lambda:")) {
      function = InProcessLambdas.functionName(resource);
      payload = params;
    } else {
      throw new StatesError("States.Runtime", "resource " + resource + " is not supported by the local emulator");
    }
    ex.event("TaskScheduled", "taskScheduledEventDetails", Paths.JSON.createObjectNode().put("resource", function).put("parameters", payload.toString()));
    Future<String> call = tasks.submit(() -> lambdas.invoke(function, payload.toString()));
    String raw;
    try {
      int timeout = state.path("TimeoutSeconds").asInt(99999999);
      raw = call.get(timeout, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      ex.event("TaskTimedOut", "taskTimedOutEventDetails", Paths.JSON.createObjectNode().put("error", "States.Timeout"));
      throw new StatesError("States.Timeout", "Task timed out after " + state.path("TimeoutSeconds").asInt() + " seconds");
    } catch (InterruptedException e) {
      call.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof LambdaInvoker.LambdaFailure failure) {
        ex.event("TaskFailed", "taskFailedEventDetails", Paths.JSON.createObjectNode().put("error", failure.errorType()).put("cause", failure.errorJson()));
        throw new StatesError(failure.errorType(), failure.errorJson());
      }
      throw new StatesError("Lambda.ServiceException", String.valueOf(e.getCause()));
    }
    JsonNode output;
    try {
      output = Paths.JSON.readTree(raw);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      output = com.fasterxml.jackson.databind.node.TextNode.valueOf(raw);
    }
    ex.event("TaskSucceeded", "taskSucceededEventDetails", Paths.JSON.createObjectNode().put("output", raw));
    if (!resource.equals(LAMBDA_INVOKE)) {
      return output;
    }
    ObjectNode result = Paths.JSON.createObjectNode();
    result.put("ExecutedVersion", "$LATEST");
    result.set("Payload", output);
    result.putObject("SdkHttpMetadata").put("httpStatusCode", 200);
    result.putObject("SdkResponseMetadata").put("requestId", java.util.UUID.randomUUID().toString());
    result.put("StatusCode", 200);
    return result;
  }

  private ObjectNode context(Execution ex, String state, Instant entered, int retryCount) {
    ObjectNode context = Paths.JSON.createObjectNode();
    ObjectNode execution = context.putObject("Execution");
    execution.put("Id", ex.arn).put("Name", ex.name).put("StartTime", ex.startDate.toString()).put("RedriveCount", ex.redriveCount)
        .put("RoleArn", "arn:aws:iam::000000000000:role/stepwise-local");
    try {
      execution.set("Input", Paths.JSON.readTree(ex.input));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      execution.put("Input", ex.input);
    }
    context.putObject("State").put("Name", state).put("EnteredTime", entered.toString()).put("RetryCount", retryCount);
    context.putObject("StateMachine").put("Id", ex.stateMachineArn).put("Name", ex.stateMachineArn.substring(ex.stateMachineArn.lastIndexOf(':') + 1));
    return context;
  }

  private static int matching(List<JsonNode> rules, String error) {
    for (int i = 0; i < rules.size(); i++) {
      for (JsonNode name : rules.get(i).path("ErrorEquals")) {
        String n = name.asText();
        if (n.equals(error) || n.equals("States.ALL") || (n.equals("States.TaskFailed") && !error.equals("States.Timeout"))) {
          return i;
        }
      }
    }
    return -1;
  }

  private static JsonNode resultPath(JsonNode state) {
    return state.has("ResultPath") ? state.get("ResultPath") : Paths.JSON.getNodeFactory().textNode("$");
  }

  private static List<JsonNode> list(JsonNode array) {
    if (array == null || !array.isArray()) {
      return List.of();
    }
    List<JsonNode> items = new java.util.ArrayList<>();
    array.forEach(items::add);
    return items;
  }

  private void sleep(double seconds) throws InterruptedException {
    long millis = Math.round(seconds * timeScale * 1000);
    if (millis > 0) {
      Thread.sleep(millis);
    }
  }

  private static ObjectNode details(String name, String field, JsonNode value) {
    return Paths.JSON.createObjectNode().put("name", name).put(field, value.toString());
  }
}
