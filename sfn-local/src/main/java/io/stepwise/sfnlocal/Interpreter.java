package io.stepwise.sfnlocal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs an execution through the States Language, in JSONPath or JSONata, with workflow variables:
 * Task, Choice, Pass, Wait, Succeed, Fail, Parallel, inline Map; Retry and Catch; the context
 * object; state and execution TimeoutSeconds; callback tasks ({@code .waitForTaskToken}, whose
 * token is in the context object as {@code Task.Token}). Retry intervals and Waits are multiplied
 * by the time scale (timeouts are not: they bound real work). Parallel and Map fail as soon as one
 * branch or iteration fails, stopping the others; a redrive of a top-level Parallel or Map re-runs
 * only the branches or iterations that did not succeed.
 */
final class Interpreter {

  private final TaskCalls calls;
  private final double timeScale;
  private final ExecutorService tasks;
  private final Consumer<Execution> statusChanged;
  private final Consumer<Execution> progressed;
  private final Random random = new Random();

  Interpreter(
      LambdaInvoker lambdas,
      double timeScale,
      ExecutorService tasks,
      Consumer<Execution> statusChanged) {
    this(lambdas, timeScale, tasks, statusChanged, ex -> {}, new TaskTokens());
  }

  /**
   * {@code progressed} hears of every top-level state the execution enters (to persist where it is,
   * and every task token before it is handed out); {@code tokens} keeps the task tokens issued.
   */
  Interpreter(
      LambdaInvoker lambdas,
      double timeScale,
      ExecutorService tasks,
      Consumer<Execution> statusChanged,
      Consumer<Execution> progressed,
      TaskTokens tokens) {
    this.calls = new TaskCalls(lambdas, tasks, tokens, progressed);
    this.timeScale = timeScale;
    this.tasks = tasks;
    this.statusChanged = statusChanged;
    this.progressed = progressed;
  }

  /**
   * A state's outcome: the next state (null when the execution ends), the output, and the error a
   * Catch handled (null when the state completed).
   */
  record Step(String next, JsonNode output, StatesError caught) {
    Step(String next, JsonNode output) {
      this(next, output, null);
    }
  }

  /**
   * What one run of states shares: the definition's query language, and TestState's inspection (or
   * null).
   */
  private record Run(Execution ex, String language, ObjectNode inspection) {
    boolean test() {
      return inspection != null;
    }
  }

  /** TestState: a Retrier matched, so the state would be retried (TestState does not retry). */
  static final class Retriable extends RuntimeException {
    final StatesError error;

    Retriable(StatesError error) {
      super(error.getMessage(), null, false, false);
      this.error = error;
    }
  }

  void run(Execution ex, JsonNode definition, String startState, JsonNode input) {
    Future<?> watchdog = executionTimeout(ex, definition);
    try {
      ObjectNode vars =
          ex.resumeVars != null && startState.equals(ex.resumeState)
              ? ex.resumeVars.deepCopy()
              : Paths.JSON.createObjectNode();
      JsonNode output =
          states(
              new Run(ex, language(definition), null),
              definition,
              startState,
              input,
              vars,
              true,
              "");
      if (output != null) {
        finish(ex, "SUCCEEDED", output.toString(), null, null);
      }
    } catch (StatesError e) {
      finish(ex, "FAILED", null, e.error(), e.cause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopped or timed out: that has already been recorded
    } finally {
      if (watchdog != null) {
        watchdog.cancel(true);
      }
    }
  }

  /**
   * TestState: one state on an input; the step, with the error when it failed ({@link Retriable}
   * when a Retrier matched). The inspection object receives the data flow.
   */
  Step test(
      Execution ex,
      String name,
      JsonNode state,
      JsonNode input,
      ObjectNode vars,
      ObjectNode inspection)
      throws InterruptedException {
    return execute(
        new Run(
            ex,
            DataFlow.JSONATA.equals(state.path("QueryLanguage").asText())
                ? DataFlow.JSONATA
                : "JSONPath",
            inspection),
        name,
        state,
        input,
        vars,
        Instant.now(),
        false,
        "");
  }

  private static String language(JsonNode definition) {
    return definition.path("QueryLanguage").asText("JSONPath");
  }

  /**
   * The execution's TimeoutSeconds: when it passes, the execution is TIMED_OUT (States.Timeout) and
   * stops.
   */
  private Future<?> executionTimeout(Execution ex, JsonNode definition) {
    if (!definition.has("TimeoutSeconds")) {
      return null;
    }
    long seconds = definition.get("TimeoutSeconds").asLong();
    Instant from = ex.redriveDate != null ? ex.redriveDate : ex.startDate;
    Thread runner = Thread.currentThread();
    return tasks.submit(
        () -> {
          try {
            Thread.sleep(
                Math.max(0, Duration.between(Instant.now(), from.plusSeconds(seconds)).toMillis()));
          } catch (InterruptedException e) {
            return; // the execution ended first
          }
          synchronized (ex) {
            if (!ex.status.equals("RUNNING") || ex.stopRequested) {
              return;
            }
            ex.stopRequested = true;
            ex.status = "TIMED_OUT";
            ex.stopDate = Instant.now();
            ex.error = "States.Timeout";
            ex.cause = "The execution ran longer than its TimeoutSeconds (" + seconds + ")";
            ex.event(
                "ExecutionTimedOut",
                "executionTimedOutEventDetails",
                Paths.JSON.createObjectNode().put("error", ex.error).put("cause", ex.cause));
            ex.closeCallbacks();
            runner.interrupt();
          }
          statusChanged.accept(ex);
        });
  }

  /**
   * Runs a state machine (the execution's, or a Parallel branch or Map iteration) from {@code
   * start} to its end; returns the output, or null when the execution was stopped. Only the top
   * level records where a redrive resumes. {@code scope} names the branch or iteration the states
   * run in ({@code ""} at the top level, {@code Fan#1/} in a Parallel state Fan's second branch).
   */
  private JsonNode states(
      Run run,
      JsonNode definition,
      String start,
      JsonNode input,
      ObjectNode vars,
      boolean topLevel,
      String scope)
      throws InterruptedException {
    Execution ex = run.ex();
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
          ex.resumeVars = vars.deepCopy();
        }
      }
      String type = state.path("Type").asText();
      ex.event(type + "StateEntered", "stateEnteredEventDetails", details(name, "input", current));
      if (topLevel) {
        progressed.accept(ex);
      }
      Step step = execute(run, name, state, current, vars, Instant.now(), topLevel, scope);
      ex.event(
          type + "StateExited", "stateExitedEventDetails", details(name, "output", step.output()));
      if (topLevel) {
        rememberReplayPoint(ex, name, type, current, step);
      }
      name = step.next();
      current = step.output();
    }
    return current;
  }

  /**
   * Where a crash-resume starts: the last top-level task state that completed (not one a Catch
   * left), with its input. A caught failure clears it, so a resume never re-runs a step that failed
   * terminally.
   */
  private static void rememberReplayPoint(
      Execution ex, String name, String type, JsonNode input, Step step) {
    boolean task = type.equals("Task") || type.equals("Parallel") || type.equals("Map");
    synchronized (ex) {
      if (step.caught() != null) {
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
      ex.closeCallbacks();
      if (status.equals("SUCCEEDED")) {
        ex.resumeState = null;
        ex.event(
            "ExecutionSucceeded",
            "executionSucceededEventDetails",
            Paths.JSON.createObjectNode().put("output", output));
      } else {
        ex.event(
            "ExecutionFailed",
            "executionFailedEventDetails",
            Paths.JSON.createObjectNode().put("error", error).put("cause", cause));
      }
    }
    statusChanged.accept(ex);
  }

  private Step execute(
      Run run,
      String name,
      JsonNode state,
      JsonNode input,
      ObjectNode vars,
      Instant entered,
      boolean topLevel,
      String scope)
      throws InterruptedException {
    DataFlow flow =
        new DataFlow(
            state,
            input,
            context(run.ex(), name, entered, 0),
            vars,
            run.language(),
            run.inspection());
    return switch (state.path("Type").asText()) {
      case "Task", "Parallel", "Map" -> task(run, name, flow, entered, topLevel, scope);
      case "Choice" -> choice(flow);
      case "Pass" -> next(state, flow.output(pass(flow)));
      case "Wait" -> waitState(run, flow);
      case "Succeed" -> new Step(null, flow.passThrough(null, state.get("Output")));
      case "Fail" -> throw fail(flow);
      default ->
          throw new StatesError(
              "States.Runtime",
              "state type "
                  + state.path("Type").asText()
                  + " is not supported by the local emulator");
    };
  }

  private static Step next(JsonNode state, JsonNode output) {
    return new Step(
        state.path("End").asBoolean(false) ? null : state.path("Next").asText(), output);
  }

  private static JsonNode pass(DataFlow flow) {
    if (flow.jsonata) {
      return flow.input;
    }
    JsonNode effective = flow.arguments("Parameters");
    return flow.state.has("Result") ? flow.state.get("Result") : effective;
  }

  private static Step choice(DataFlow flow) {
    JsonNode state = flow.state;
    JsonNode effective = flow.effectiveInput();
    for (JsonNode rule : state.path("Choices")) {
      if (flow.jsonata
          ? condition(flow, rule)
          : ChoiceRules.matches(rule, effective, flow.context, flow.vars)) {
        JsonNode assign = rule.has("Assign") ? rule.get("Assign") : state.get("Assign");
        JsonNode output = rule.has("Output") ? rule.get("Output") : state.get("Output");
        return new Step(rule.get("Next").asText(), flow.passThrough(assign, output));
      }
    }
    if (state.has("Default")) {
      return new Step(
          state.get("Default").asText(),
          flow.passThrough(state.get("Assign"), state.get("Output")));
    }
    throw new StatesError(
        "States.NoChoiceMatched", "No Choice rule matched and no Default in the Choice state");
  }

  private static boolean condition(DataFlow flow, JsonNode rule) {
    JsonNode value = flow.value(rule.get("Condition"), "Condition");
    if (!value.isBoolean()) {
      throw new StatesError(
          JsonataQueries.ERROR, "The Condition of a Choice rule must be a boolean, got " + value);
    }
    return value.asBoolean();
  }

  private Step waitState(Run run, DataFlow flow) throws InterruptedException {
    JsonNode state = flow.state;
    JsonNode effective = flow.effectiveInput();
    double seconds;
    if (state.has("Seconds") || state.has("SecondsPath")) {
      JsonNode value =
          state.has("Seconds")
              ? flow.value(state.get("Seconds"), "Seconds")
              : Paths.resolve(
                  state.get("SecondsPath").asText(), effective, flow.context, flow.vars);
      if (!value.isNumber() || value.asDouble() < 0) {
        throw new StatesError(
            "States.Runtime", "Wait seconds must be a non-negative number, got " + value);
      }
      seconds = value.asDouble();
    } else {
      JsonNode at =
          state.has("Timestamp")
              ? flow.value(state.get("Timestamp"), "Timestamp")
              : Paths.resolve(
                  state.get("TimestampPath").asText(), effective, flow.context, flow.vars);
      Instant instant = ChoiceRules.timestamp(at);
      if (instant == null) {
        throw new StatesError(
            "States.Runtime", "Wait timestamp must be an RFC 3339 timestamp, got " + at);
      }
      seconds = Math.max(0, Duration.between(Instant.now(), instant).toMillis() / 1000.0);
    }
    if (!run.test()) {
      sleep(seconds);
    }
    return next(state, flow.passThrough(state.get("Assign"), state.get("Output")));
  }

  private static StatesError fail(DataFlow flow) {
    return new StatesError(failField(flow, "Error"), failField(flow, "Cause"));
  }

  private static String failField(DataFlow flow, String field) {
    JsonNode state = flow.state;
    if (state.has(field + "Path")) {
      String path = state.get(field + "Path").asText();
      JsonNode value =
          path.startsWith("States.")
              ? Intrinsics.evaluate(path, flow.input, flow.context, flow.vars)
              : Paths.resolve(path, flow.input, flow.context, flow.vars);
      return value.isTextual() ? value.asText() : value.toString();
    }
    if (!state.has(field)) {
      return null;
    }
    JsonNode value = flow.value(state.get(field), field);
    return value.isTextual() ? value.asText() : value.toString();
  }

  /**
   * A Task, Parallel or Map state with its Retry and Catch. For a top-level Parallel or Map, the
   * outputs of the branches or iterations that succeeded are kept while the state runs; they are
   * dropped when it completes, is caught or is retried, and stay only when its failure ends the
   * execution, so that a redrive re-runs only the branches or iterations that did not succeed, as
   * AWS does.
   */
  private Step task(
      Run run, String name, DataFlow first, Instant entered, boolean topLevel, String scope)
      throws InterruptedException {
    JsonNode state = first.state;
    List<JsonNode> retriers = list(state.get("Retry"));
    int[] attempts = new int[retriers.size()];
    int retryCount = 0;
    DataFlow flow = first;
    while (true) {
      try {
        String type = state.path("Type").asText();
        Callback callback =
            type.equals("Task") && TaskCalls.waitsForToken(state)
                ? calls.callback(run.ex(), scope + name, flow)
                : null;
        JsonNode params;
        try {
          params = flow.arguments(type.equals("Map") ? null : "Parameters");
        } catch (StatesError e) {
          if (callback != null) {
            synchronized (run.ex()) {
              callback.close(Callback.Outcome.closed());
            }
          }
          throw e;
        }
        JsonNode result =
            switch (type) {
              case "Parallel" -> parallel(run, name, state, params, flow.vars, topLevel, scope);
              case "Map" -> map(run, name, flow, params, topLevel, scope);
              default -> calls.call(run.ex(), name, flow, params, callback);
            };
        run.ex().dropBranchOutputs(name);
        return next(state, flow.output(result));
      } catch (StatesError e) {
        int r = ErrorRules.matching(retriers, e.error());
        if (r >= 0 && attempts[r] < retriers.get(r).path("MaxAttempts").asInt(3)) {
          if (run.test()) {
            throw new Retriable(e);
          }
          run.ex().dropBranchOutputs(name);
          sleep(delay(retriers.get(r), attempts[r]));
          attempts[r]++;
          retryCount++;
          flow =
              new DataFlow(
                  state,
                  first.input,
                  context(run.ex(), name, entered, retryCount),
                  first.vars,
                  run.language(),
                  run.inspection());
          continue;
        }
        List<JsonNode> catchers = list(state.get("Catch"));
        int c = ErrorRules.matching(catchers, e.error());
        if (c >= 0) {
          ObjectNode errorOutput =
              Paths.JSON.createObjectNode().put("Error", e.error()).put("Cause", e.cause());
          JsonNode catcher = catchers.get(c);
          run.ex().dropBranchOutputs(name);
          return new Step(catcher.get("Next").asText(), flow.caught(catcher, errorOutput), e);
        }
        throw e;
      }
    }
  }

  /** Every branch on the same input, concurrently; the output is the array of branch outputs. */
  private JsonNode parallel(
      Run run,
      String name,
      JsonNode state,
      JsonNode input,
      ObjectNode vars,
      boolean topLevel,
      String scope)
      throws InterruptedException {
    List<JsonNode> branches = list(state.get("Branches"));
    CompletionService<JsonNode> done = new ExecutorCompletionService<>(tasks);
    List<Future<JsonNode>> running = new ArrayList<>();
    for (int i = 0; i < branches.size(); i++) {
      JsonNode branch = branches.get(i);
      ObjectNode branchVars =
          vars.deepCopy(); // a branch sees the outer variables; what it assigns stays inside
      int index = i;
      running.add(
          done.submit(
              () ->
                  kept(
                      run,
                      name,
                      index,
                      topLevel,
                      () ->
                          states(
                              run,
                              branch,
                              branch.path("StartAt").asText(),
                              input,
                              branchVars,
                              false,
                              scope + name + "#" + index + "/"))));
    }
    run.ex().event("ParallelStateStarted", null, null);
    return outcome(run.ex(), "ParallelState", () -> collect(running, done));
  }

  /**
   * A branch or iteration: its kept output when a redrive finds one, else run (and kept at the top
   * level).
   */
  private JsonNode kept(Run run, String state, int index, boolean topLevel, Outcome branch)
      throws InterruptedException {
    JsonNode earlier = topLevel ? run.ex().branchOutput(state, index) : null;
    if (earlier != null) {
      return earlier;
    }
    JsonNode out = branch.get();
    if (topLevel && out != null) {
      run.ex().keepBranchOutput(state, index, out);
      progressed.accept(run.ex());
    }
    return out;
  }

  private interface Outcome {
    JsonNode get() throws InterruptedException;
  }

  /**
   * Records {@code <prefix>Succeeded} or {@code <prefix>Failed} around a Parallel or Map state's
   * work.
   */
  private static JsonNode outcome(Execution ex, String prefix, Outcome work)
      throws InterruptedException {
    try {
      JsonNode result = work.get();
      ex.event(prefix + "Succeeded", null, null);
      return result;
    } catch (StatesError e) {
      ex.event(prefix + "Failed", null, null);
      throw e;
    }
  }

  /** Inline Map: the item processor once per item, at most MaxConcurrency at a time (0 = all). */
  private JsonNode map(
      Run run, String name, DataFlow flow, JsonNode input, boolean topLevel, String scope)
      throws InterruptedException {
    JsonNode state = flow.state;
    JsonNode items;
    if (flow.jsonata) {
      items = state.has("Items") ? flow.value(state.get("Items"), "Items") : input;
    } else {
      items =
          state.has("ItemsPath")
              ? Paths.resolve(state.get("ItemsPath").asText(), input, flow.context, flow.vars)
              : input;
    }
    if (!items.isArray()) {
      throw new StatesError("States.Runtime", "The Map state's items are not an array: " + items);
    }
    JsonNode processor =
        state.has("ItemProcessor") ? state.get("ItemProcessor") : state.get("Iterator");
    JsonNode selector =
        state.has("ItemSelector") ? state.get("ItemSelector") : state.get("Parameters");
    int limit = state.path("MaxConcurrency").asInt(0);
    Semaphore slots = new Semaphore(limit <= 0 ? Integer.MAX_VALUE : limit);
    CompletionService<JsonNode> done = new ExecutorCompletionService<>(tasks);
    List<Future<JsonNode>> running = new ArrayList<>();
    // set by a failing iteration before it frees its slot, so no later item starts once one has
    // failed
    AtomicBoolean stopped = new AtomicBoolean();
    Execution ex = run.ex();
    ex.event(
        "MapStateStarted",
        "mapStateStartedEventDetails",
        Paths.JSON.createObjectNode().put("length", items.size()));
    try {
      for (int i = 0; i < items.size(); i++) {
        int index = i;
        ObjectNode itemContext = flow.context.deepCopy();
        itemContext.putObject("Map").putObject("Item").put("Index", i).set("Value", items.get(i));
        JsonNode itemInput = itemInput(flow, selector, input, itemContext, items.get(i));
        ObjectNode itemVars = flow.vars.deepCopy();
        slots.acquire();
        if (stopped.get()) {
          slots.release();
          break;
        }
        running.add(
            done.submit(
                () -> {
                  JsonNode earlier = topLevel ? ex.branchOutput(name, index) : null;
                  if (earlier != null) {
                    slots.release();
                    return earlier; // succeeded before the redrive: not run again
                  }
                  ObjectNode iteration =
                      Paths.JSON.createObjectNode().put("name", name).put("index", index);
                  ex.event("MapIterationStarted", "mapIterationStartedEventDetails", iteration);
                  boolean succeeded = false;
                  try {
                    JsonNode out =
                        kept(
                            run,
                            name,
                            index,
                            topLevel,
                            () ->
                                states(
                                    run,
                                    processor,
                                    processor.path("StartAt").asText(),
                                    itemInput,
                                    itemVars,
                                    false,
                                    scope + name + "#" + index + "/"));
                    ex.event(
                        "MapIterationSucceeded", "mapIterationSucceededEventDetails", iteration);
                    succeeded = true;
                    return out;
                  } catch (StatesError e) {
                    ex.event("MapIterationFailed", "mapIterationFailedEventDetails", iteration);
                    throw e;
                  } finally {
                    if (!succeeded) {
                      stopped.set(true);
                    }
                    slots.release();
                  }
                }));
      }
    } catch (InterruptedException e) {
      running.forEach(f -> f.cancel(true));
      throw e;
    }
    return outcome(ex, "MapState", () -> collect(running, done));
  }

  private static JsonNode itemInput(
      DataFlow flow, JsonNode selector, JsonNode input, ObjectNode itemContext, JsonNode item) {
    if (selector == null) {
      return item;
    }
    if (flow.jsonata) {
      ObjectNode states = flow.states(null, null);
      states.set("context", itemContext);
      return JsonataQueries.required(selector, states, flow.vars, "ItemSelector");
    }
    return Paths.template(selector, input, itemContext, flow.vars);
  }

  /**
   * Outputs in order. The first branch or iteration to fail (in time, not in order) fails the state
   * with its error, and the others are stopped.
   */
  private static JsonNode collect(List<Future<JsonNode>> running, CompletionService<JsonNode> done)
      throws InterruptedException {
    try {
      for (int i = 0; i < running.size(); i++) {
        if (done.take().get() == null) {
          throw new InterruptedException("stopped");
        }
      }
      var out = Paths.JSON.createArrayNode();
      for (Future<JsonNode> f : running) {
        out.add(f.get());
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
    double delay =
        retrier.path("IntervalSeconds").asDouble(1)
            * Math.pow(retrier.path("BackoffRate").asDouble(2.0), n);
    if (retrier.has("MaxDelaySeconds")) {
      delay = Math.min(delay, retrier.get("MaxDelaySeconds").asDouble());
    }
    if ("FULL".equals(retrier.path("JitterStrategy").asText("NONE"))) {
      delay = random.nextDouble() * delay;
    }
    return delay;
  }

  private static ObjectNode context(Execution ex, String state, Instant entered, int retryCount) {
    ObjectNode context = Paths.JSON.createObjectNode();
    ObjectNode execution = context.putObject("Execution");
    execution
        .put("Id", ex.arn)
        .put("Name", ex.name)
        .put("StartTime", ex.startDate.toString())
        .put("RedriveCount", ex.redriveCount)
        .put("RoleArn", ex.roleArn);
    try {
      execution.set("Input", Paths.JSON.readTree(ex.input));
    } catch (JsonProcessingException e) {
      execution.put("Input", ex.input);
    }
    context
        .putObject("State")
        .put("Name", state)
        .put("EnteredTime", entered.toString())
        .put("RetryCount", retryCount);
    context
        .putObject("StateMachine")
        .put("Id", ex.stateMachineArn)
        .put("Name", ex.stateMachineArn.substring(ex.stateMachineArn.lastIndexOf(':') + 1));
    return context;
  }

  private static List<JsonNode> list(JsonNode array) {
    if (array == null || !array.isArray()) {
      return List.of();
    }
    List<JsonNode> items = new ArrayList<>();
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
