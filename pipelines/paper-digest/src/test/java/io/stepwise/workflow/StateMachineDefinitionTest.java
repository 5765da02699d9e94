package io.stepwise.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.catalog.Handlers;
import io.stepwise.pipelines.digest.PaperDigest;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks statemachine.asl.json (repo root) against the rules of docs/architecture.md, "The
 * workflow": per-step Retry/Catch, retryable errors never caught (so a console redrive re-runs the
 * failed step), terminal errors recorded then failed, valid Retry values, Route by wire name, step
 * payloads, pipeline order and graph shape.
 */
class StateMachineDefinitionTest {

  private static final String ERRORS_PACKAGE = "io.stepwise.steps.errors.";
  private static final String STEP_EXCEPTION = ERRORS_PACKAGE + "StepException";
  private static final String TERMINAL_ERROR = ERRORS_PACKAGE + "TerminalStepException";

  private static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
  private static final String ROUTE = "Route";
  private static final String RECORD_FAILURE = "RecordFailure";
  private static final String FAILED = "Failed";
  private static final String REVIEW = "Review";
  private static final String REVIEW_WANTED = "ReviewWanted";

  /** The step Tasks in pipeline order, with each step's wire name. */
  private static final Map<String, String> STEPS =
      orderedMap(
          "FetchPapers", "fetch_papers",
          "Analyze", "analyze",
          "RenderImages", "render_images",
          "BuildPayload", "build_payload",
          "Publish", "publish");

  /**
   * This test's classification of the project's exception classes (simple name to retryable()).
   * {@link #everyCustomErrorNameIsAnExistingFinalStepException()} checks it against the classes
   * themselves.
   */
  private static final Map<String, Boolean> CUSTOM_ERROR_RETRYABLE =
      orderedMap(
          "TransientStepException", true,
          "RateLimitedException", true,
          "ModelOutputIncompleteException", true,
          "TerminalStepException", false);

  /** Lambda service errors a step must retry. */
  private static final List<String> LAMBDA_SERVICE_ERRORS =
      List.of(
          "Lambda.ServiceException",
          "Lambda.AWSLambdaException",
          "Lambda.SdkClientException",
          "Lambda.TooManyRequestsException");

  /**
   * A rate limit is waited out as long as the provider asked (Catch → count → bound → Wait → the
   * step), not retried on a schedule of our own: see {@link
   * #rateLimitsWaitAsAskedThenRunTheStepAgain_boundedByACount()}.
   */
  private static final String RATE_LIMITED = ERRORS_PACKAGE + "RateLimitedException";

  /**
   * Every retryable error name but the rate limit: retried by every step, never caught by a step.
   */
  private static final List<String> RETRYABLE_ERRORS = retryableErrors();

  /**
   * The {@code ${...}} placeholders in the definition. Must match exactly what the CDK stack
   * (infra) and the local runtime substitute — both substitute the handler catalogue's functions of
   * this pipeline; a placeholder missing there would reach Step Functions as a literal string.
   */
  private static final Set<String> KNOWN_PLACEHOLDERS =
      Handlers.installed().invokedBy(PaperDigest.NAME).stream()
          .map(h -> h.placeholder().orElseThrow())
          .collect(Collectors.toSet());

  private static final Set<String> RETRY_FIELDS =
      Set.of(
          "ErrorEquals",
          "IntervalSeconds",
          "MaxAttempts",
          "BackoffRate",
          "MaxDelaySeconds",
          "JitterStrategy");
  private static final long MAX_INTERVAL_OR_ATTEMPTS = 99_999_999L;
  private static final long MAX_DELAY_SECONDS_EXCLUSIVE = 31_622_401L;

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

  private static String text;
  private static JsonNode definition;
  private static JsonNode states;

  @BeforeAll
  static void load() throws IOException {
    Path path = definitionPath();
    text = Files.readString(path);
    definition = new ObjectMapper().readTree(text);
    states = definition.path("States");
    assertThat(states.isObject()).as("%s has a States object", path).isTrue();
  }

  /** Maven runs tests from the module dir; the definition lives at the repo root. */
  private static Path definitionPath() {
    Path fromModule = Path.of("..", "..", "statemachine.asl.json");
    return Files.exists(fromModule) ? fromModule : Path.of("statemachine.asl.json");
  }

  @Test
  void everyCustomErrorNameIsAnExistingFinalStepException() throws Exception {
    Class<?> base = Class.forName(STEP_EXCEPTION);
    Set<String> customNames = new TreeSet<>();
    for (String stateName : stateNames()) {
      for (String field : List.of("Retry", "Catch")) {
        for (JsonNode rule : states.get(stateName).path(field)) {
          for (JsonNode error : rule.path("ErrorEquals")) {
            String name = error.asText();
            if (!name.startsWith("States.") && !name.startsWith("Lambda.")) {
              customNames.add(name);
              assertThat(name)
                  .as(
                      "%s.%s ErrorEquals: custom error name must be in %s",
                      stateName, field, ERRORS_PACKAGE)
                  .startsWith(ERRORS_PACKAGE);
            }
          }
        }
      }
    }
    for (String simpleName : CUSTOM_ERROR_RETRYABLE.keySet()) {
      customNames.add(ERRORS_PACKAGE + simpleName);
    }

    for (String name : customNames) {
      Class<?> type;
      try {
        type = Class.forName(name);
      } catch (ClassNotFoundException e) {
        throw new AssertionError("ErrorEquals name " + name + " is not an existing class", e);
      }
      assertThat(base.isAssignableFrom(type) && type != base)
          .as("%s must be a concrete subclass of %s", name, STEP_EXCEPTION)
          .isTrue();
      assertThat(Modifier.isFinal(type.getModifiers())).as("%s must be final", name).isTrue();
      assertThat(CUSTOM_ERROR_RETRYABLE)
          .as("%s must be classified (retryable or not) in this test", name)
          .containsKey(type.getSimpleName());
      assertThat(retryableOf(type))
          .as("%s.retryable() must agree with this test's classification", name)
          .isEqualTo(CUSTOM_ERROR_RETRYABLE.get(type.getSimpleName()));
    }
  }

  @Test
  void everyPlaceholderIsKnown() {
    Set<String> used = new TreeSet<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      used.add(m.group(1));
    }
    assertThat(used)
        .as("placeholders ${...} in statemachine.asl.json")
        .isSubsetOf(KNOWN_PLACEHOLDERS)
        .containsAll(KNOWN_PLACEHOLDERS);
  }

  @Test
  void everyLambdaTaskInvokesItsOwnFunction() {
    for (String stateName : taskStateNames()) {
      JsonNode state = states.get(stateName);
      assertThat(state.path("Resource").asText())
          .as("%s.Resource", stateName)
          // the review waits for a person: its function gets the task token and returns
          .isEqualTo(
              stateName.equals(REVIEW) ? LAMBDA_INVOKE + ".waitForTaskToken" : LAMBDA_INVOKE);
      assertThat(state.path("Parameters").path("FunctionName").asText())
          .as("%s.Parameters.FunctionName", stateName)
          .isEqualTo("${" + stateName + "FunctionArn}");
    }
  }

  @Test
  void everyStepTaskHasTimeoutRetryAndCatch() {
    for (String step : STEPS.keySet()) {
      JsonNode state = states.get(step);
      assertThat(state).as("step state %s exists", step).isNotNull();
      assertThat(state.path("Type").asText()).as("%s.Type", step).isEqualTo("Task");
      JsonNode timeout = state.path("TimeoutSeconds");
      assertThat(timeout.isIntegralNumber() && timeout.asLong() >= 1)
          .as("%s.TimeoutSeconds must be a positive integer, was %s", step, timeout)
          .isTrue();
      assertThat(state.path("Retry").isArray() && !state.path("Retry").isEmpty())
          .as("%s.Retry must be a non-empty list", step)
          .isTrue();
      assertThat(state.path("Catch").isArray() && !state.path("Catch").isEmpty())
          .as("%s.Catch must be a non-empty list", step)
          .isTrue();
    }
  }

  @Test
  void noCatchOfAStepTaskMatchesARetryableError() {
    for (String step : STEPS.keySet()) {
      JsonNode catchers = states.get(step).path("Catch");
      for (int i = 0; i < catchers.size(); i++) {
        for (String error : RETRYABLE_ERRORS) {
          assertThat(matches(catchers.get(i), error))
              .as(
                  "%s.Catch[%d] ErrorEquals %s must not match retryable error %s"
                      + " (it must stay uncaught so a redrive re-runs the step)",
                  step, i, catchers.get(i).path("ErrorEquals"), error)
              .isFalse();
        }
      }
    }
  }

  @Test
  void everyRetryableErrorIsRetriedByEveryStep() {
    for (String step : STEPS.keySet()) {
      JsonNode retriers = states.get(step).path("Retry");
      for (String error : RETRYABLE_ERRORS) {
        JsonNode retrier = firstMatching(retriers, error);
        assertThat(retrier).as("%s.Retry must have a retrier matching %s", step, error).isNotNull();
        assertThat(retrier.path("MaxAttempts").asLong(3))
            .as("%s.Retry: first retrier matching %s must have MaxAttempts > 0", step, error)
            .isPositive();
      }
    }
  }

  @Test
  void rateLimitsWaitAsAskedThenRunTheStepAgain_andASpentBudgetFailsAtTheStepsOwnState() {
    String spent = "io.stepwise.steps.errors.RateLimitBudgetSpentException";
    for (String step : STEPS.keySet()) {
      JsonNode task = states.get(step);
      assertThat(firstMatching(task.path("Retry"), RATE_LIMITED))
          .as("%s.Retry must leave rate limits to the wait route", step)
          .isNull();
      JsonNode caught = firstMatching(task.path("Catch"), RATE_LIMITED);
      assertThat(caught).as("%s.Catch must take %s", step, RATE_LIMITED).isNotNull();
      assertThat(caught.path("ResultPath").asText()).isEqualTo("$.failure");
      JsonNode count = states.get(caught.path("Next").asText());
      assertThat(count.path("Type").asText())
          .as("%s: the catch counts the wait", step)
          .isEqualTo("Pass");
      assertThat(count.path("QueryLanguage").asText()).isEqualTo("JSONata");
      assertThat(count.path("Output").asText())
          .contains("retry after ([0-9]+) s", "'" + STEPS.get(step) + "'");
      JsonNode wait = states.get(count.path("Next").asText());
      assertThat(wait.path("Type").asText())
          .as("%s: no way from the wait route to RecordFailure", step)
          .isEqualTo("Wait");
      assertThat(wait.path("SecondsPath").asText()).isEqualTo("$.rateLimitDelaySeconds");
      assertThat(wait.path("Next").asText())
          .as("%s: after the wait, the same step again", step)
          .isEqualTo(step);
      // The step runtime bounds the waits: the payload carries the count, and once the budget is
      // spent the
      // error it throws is neither retried nor caught, so the execution fails here and a redrive
      // re-runs it.
      assertThat(task.path("Parameters").path("Payload").path("rateLimitWaits.$").asText())
          .isEqualTo("$.rateLimitWaits");
      assertThat(firstMatching(task.path("Retry"), spent))
          .as("%s.Retry must not take %s", step, spent)
          .isNull();
      assertThat(firstMatching(task.path("Catch"), spent))
          .as("%s.Catch must not take %s", step, spent)
          .isNull();
    }
  }

  @Test
  void terminalErrorsAreCaughtAndRecordedThenFail() {
    JsonNode failed = states.get(FAILED);
    assertThat(failed).as("state %s exists", FAILED).isNotNull();
    assertThat(failed.path("Type").asText()).as("%s.Type", FAILED).isEqualTo("Fail");
    String errorPath = failed.path("ErrorPath").asText(null);
    String causePath = failed.path("CausePath").asText(null);
    assertThat(errorPath).as("%s.ErrorPath", FAILED).isNotBlank();
    assertThat(causePath).as("%s.CausePath", FAILED).isNotBlank();

    for (String step : STEPS.keySet()) {
      JsonNode state = states.get(step);
      JsonNode retrier = firstMatching(state.path("Retry"), TERMINAL_ERROR);
      assertThat(retrier == null || retrier.path("MaxAttempts").asLong(3) == 0)
          .as("%s.Retry must not retry terminal error %s", step, TERMINAL_ERROR)
          .isTrue();
      JsonNode catcher = firstMatching(state.path("Catch"), TERMINAL_ERROR);
      assertThat(catcher).as("%s.Catch must handle %s", step, TERMINAL_ERROR).isNotNull();
      assertThat(catcher.path("Next").asText())
          .as("%s.Catch for %s: Next", step, TERMINAL_ERROR)
          .isEqualTo(RECORD_FAILURE);
      String resultPath = catcher.path("ResultPath").asText(null);
      assertThat(resultPath).as("%s.Catch for %s: ResultPath", step, TERMINAL_ERROR).isNotBlank();
      assertThat(errorPath)
          .as("%s.ErrorPath must read the error %s.Catch stored at %s", FAILED, step, resultPath)
          .isEqualTo(resultPath + ".Error");
      assertThat(causePath)
          .as("%s.CausePath must read the cause %s.Catch stored at %s", FAILED, step, resultPath)
          .isEqualTo(resultPath + ".Cause");
    }

    JsonNode record = states.get(RECORD_FAILURE);
    assertThat(record).as("state %s exists", RECORD_FAILURE).isNotNull();
    assertThat(record.path("Type").asText()).as("%s.Type", RECORD_FAILURE).isEqualTo("Task");
    assertThat(record.path("Next").asText()).as("%s.Next", RECORD_FAILURE).isEqualTo(FAILED);
    assertThat(record.path("End").asBoolean(false)).as("%s.End", RECORD_FAILURE).isFalse();
    assertThat(record.has("ResultPath") && record.get("ResultPath").isNull())
        .as("%s.ResultPath must be null so the step's error stays in the input", RECORD_FAILURE)
        .isTrue();
    JsonNode catchers = record.path("Catch");
    for (int i = 0; i < catchers.size(); i++) {
      assertThat(catchers.get(i).path("Next").asText())
          .as("%s.Catch[%d].Next", RECORD_FAILURE, i)
          .isEqualTo(FAILED);
    }
  }

  @Test
  void retryFieldValuesAreValid() {
    for (String stateName : stateNames()) {
      JsonNode state = states.get(stateName);
      if (!state.has("Retry")) {
        continue;
      }
      assertThat(state.get("Retry").isArray()).as("%s.Retry must be a list", stateName).isTrue();
      JsonNode retriers = state.get("Retry");
      for (int i = 0; i < retriers.size(); i++) {
        String at = stateName + ".Retry[" + i + "]";
        JsonNode r = retriers.get(i);
        assertThat(r.isObject()).as("%s must be an object", at).isTrue();
        assertThat(fieldNames(r)).as("%s fields", at).isSubsetOf(RETRY_FIELDS);

        JsonNode errors = r.path("ErrorEquals");
        assertThat(errors.isArray() && !errors.isEmpty())
            .as("%s.ErrorEquals must be a non-empty list", at)
            .isTrue();
        for (JsonNode e : errors) {
          assertThat(e.isTextual() && !e.asText().isBlank())
              .as("%s.ErrorEquals entries must be non-blank strings, was %s", at, e)
              .isTrue();
        }

        long interval = 1;
        if (r.has("IntervalSeconds")) {
          JsonNode v = r.get("IntervalSeconds");
          assertThat(
                  v.isIntegralNumber() && v.asLong() >= 1 && v.asLong() <= MAX_INTERVAL_OR_ATTEMPTS)
              .as(
                  "%s.IntervalSeconds must be an integer in [1, %d], was %s",
                  at, MAX_INTERVAL_OR_ATTEMPTS, v)
              .isTrue();
          interval = v.asLong();
        }
        if (r.has("MaxAttempts")) {
          JsonNode v = r.get("MaxAttempts");
          assertThat(
                  v.isIntegralNumber() && v.asLong() >= 0 && v.asLong() <= MAX_INTERVAL_OR_ATTEMPTS)
              .as(
                  "%s.MaxAttempts must be an integer in [0, %d], was %s",
                  at, MAX_INTERVAL_OR_ATTEMPTS, v)
              .isTrue();
        }
        if (r.has("BackoffRate")) {
          JsonNode v = r.get("BackoffRate");
          assertThat(v.isNumber() && v.asDouble() >= 1.0)
              .as("%s.BackoffRate must be a number >= 1.0, was %s", at, v)
              .isTrue();
        }
        if (r.has("MaxDelaySeconds")) {
          JsonNode v = r.get("MaxDelaySeconds");
          assertThat(
                  v.isIntegralNumber()
                      && v.asLong() >= 1
                      && v.asLong() < MAX_DELAY_SECONDS_EXCLUSIVE)
              .as(
                  "%s.MaxDelaySeconds must be an integer in [1, %d), was %s",
                  at, MAX_DELAY_SECONDS_EXCLUSIVE, v)
              .isTrue();
          assertThat(v.asLong())
              .as("%s.MaxDelaySeconds must be >= IntervalSeconds (%d)", at, interval)
              .isGreaterThanOrEqualTo(interval);
        }
        if (r.has("JitterStrategy")) {
          assertThat(r.get("JitterStrategy").isTextual())
              .as("%s.JitterStrategy must be a string", at)
              .isTrue();
          assertThat(r.get("JitterStrategy").asText())
              .as("%s.JitterStrategy", at)
              .isIn("FULL", "NONE");
        }
      }
    }
  }

  @Test
  void routeJumpsToEveryStepByWireName() {
    assertThat(definition.path("StartAt").asText()).as("StartAt").isEqualTo(ROUTE);
    JsonNode route = states.get(ROUTE);
    assertThat(route).as("state %s exists", ROUTE).isNotNull();
    assertThat(route.path("Type").asText()).as("%s.Type", ROUTE).isEqualTo("Choice");
    assertThat(route.path("Default").asText())
        .as("%s.Default", ROUTE)
        .isEqualTo(first(STEPS.keySet()));

    Map<String, String> expected = new LinkedHashMap<>();
    STEPS.forEach((state, wire) -> expected.put(wire, state));
    expected.remove(STEPS.get(first(STEPS.keySet())));
    expected.put("review", REVIEW); // a retry after an expired or rejected review re-opens it

    Map<String, String> actual = new LinkedHashMap<>();
    JsonNode choices = route.path("Choices");
    for (int i = 0; i < choices.size(); i++) {
      JsonNode c = choices.get(i);
      assertThat(c.path("Variable").asText())
          .as("%s.Choices[%d].Variable", ROUTE, i)
          .isEqualTo("$.startAt");
      assertThat(c.path("StringEquals").isTextual())
          .as("%s.Choices[%d] must compare with StringEquals", ROUTE, i)
          .isTrue();
      String wire = c.get("StringEquals").asText();
      assertThat(actual)
          .as("%s.Choices[%d]: duplicate choice for %s", ROUTE, i, wire)
          .doesNotContainKey(wire);
      actual.put(wire, c.path("Next").asText());
    }
    assertThat(actual)
        .as("%s.Choices: StringEquals wire name -> Next", ROUTE)
        .containsExactlyInAnyOrderEntriesOf(expected);
  }

  @Test
  void stepPayloadsCarryIdsAndContext() {
    for (Map.Entry<String, String> step : STEPS.entrySet()) {
      JsonNode payload = states.get(step.getKey()).path("Parameters").path("Payload");
      assertThat(payload.isObject())
          .as("%s.Parameters.Payload must be an object", step.getKey())
          .isTrue();
      Map<String, String> expected =
          orderedMap(
              "taskId.$", "$.taskId",
              "runId.$", "$.runId",
              "step", step.getValue(),
              "retryCount.$", "$$.State.RetryCount",
              "redriveCount.$", "$$.Execution.RedriveCount",
              "executionArn.$", "$$.Execution.Id");
      expected.forEach(
          (field, value) ->
              assertThat(
                      payload.path(field).isTextual()
                          ? payload.get(field).asText()
                          : String.valueOf(payload.get(field)))
                  .as("%s.Parameters.Payload.%s", step.getKey(), field)
                  .isEqualTo(value));
    }
  }

  @Test
  void stepsChainInPipelineOrder() {
    List<String> order = new ArrayList<>(STEPS.keySet());
    for (int i = 0; i < order.size(); i++) {
      String step = order.get(i);
      JsonNode state = states.get(step);
      if (step.equals("BuildPayload")) {
        // the posts pass the review Choice: with review: true they wait at Review, else go on
        assertThat(state.path("Next").asText(null)).as("%s.Next", step).isEqualTo(REVIEW_WANTED);
        JsonNode wanted = states.get(REVIEW_WANTED);
        assertThat(wanted.path("Type").asText()).isEqualTo("Choice");
        assertThat(wanted.path("Default").asText()).isEqualTo(order.get(i + 1));
        assertThat(wanted.at("/Choices/0/Next").asText()).isEqualTo(REVIEW);
        assertThat(states.get(REVIEW).path("Next").asText()).isEqualTo(order.get(i + 1));
        continue;
      }
      if (i < order.size() - 1) {
        assertThat(state.path("Next").asText(null)).as("%s.Next", step).isEqualTo(order.get(i + 1));
        assertThat(state.path("End").asBoolean(false)).as("%s.End", step).isFalse();
      } else {
        assertThat(state.path("End").asBoolean(false)).as("%s.End", step).isTrue();
        assertThat(state.has("Next")).as("%s must not have Next", step).isFalse();
      }
    }
  }

  @Test
  void everyNextExistsAndEveryStateIsReachable() {
    String startAt = definition.path("StartAt").asText(null);
    assertThat(states.has(startAt)).as("StartAt %s names an existing state", startAt).isTrue();

    Map<String, List<String>> edges = new HashMap<>();
    for (String stateName : stateNames()) {
      JsonNode state = states.get(stateName);
      List<String> targets = new ArrayList<>();
      addTarget(targets, state, "Next", stateName + ".Next");
      addTarget(targets, state, "Default", stateName + ".Default");
      JsonNode choices = state.path("Choices");
      for (int i = 0; i < choices.size(); i++) {
        addTarget(targets, choices.get(i), "Next", stateName + ".Choices[" + i + "].Next");
      }
      JsonNode catchers = state.path("Catch");
      for (int i = 0; i < catchers.size(); i++) {
        addTarget(targets, catchers.get(i), "Next", stateName + ".Catch[" + i + "].Next");
      }
      edges.put(stateName, targets);

      String type = state.path("Type").asText();
      if (Set.of("Task", "Pass", "Wait", "Parallel", "Map").contains(type)) {
        boolean hasNext = state.has("Next");
        boolean end = state.path("End").asBoolean(false);
        assertThat(hasNext ^ end)
            .as("%s (%s) must have exactly one of Next or End: true", stateName, type)
            .isTrue();
      }
    }

    Set<String> reached = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(startAt));
    while (!todo.isEmpty()) {
      String s = todo.pop();
      if (reached.add(s)) {
        todo.addAll(edges.getOrDefault(s, List.of()));
      }
    }
    assertThat(reached)
        .as("states reachable from StartAt %s", startAt)
        .containsExactlyInAnyOrderElementsOf(stateNames());
  }

  // ---- helpers ----

  private static void addTarget(List<String> targets, JsonNode node, String field, String where) {
    if (!node.has(field)) {
      return;
    }
    String target = node.get(field).asText();
    assertThat(states.has(target)).as("%s = %s names an existing state", where, target).isTrue();
    targets.add(target);
  }

  /**
   * Whether a Retry/Catch rule matches an error: exact name, States.ALL, or States.TaskFailed for
   * errors the Lambda task raises (everything except the States.* errors; States.TaskFailed never
   * matches States.Timeout).
   */
  private static boolean matches(JsonNode rule, String error) {
    Set<String> names = new LinkedHashSet<>();
    rule.path("ErrorEquals").forEach(e -> names.add(e.asText()));
    return names.contains(error)
        || names.contains("States.ALL")
        || (!error.startsWith("States.") && names.contains("States.TaskFailed"));
  }

  /** The first rule matching the error, as Step Functions picks it; null when none does. */
  private static JsonNode firstMatching(JsonNode rules, String error) {
    for (JsonNode rule : rules) {
      if (matches(rule, error)) {
        return rule;
      }
    }
    return null;
  }

  private static List<String> stateNames() {
    List<String> names = new ArrayList<>();
    states.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> taskStateNames() {
    List<String> names = new ArrayList<>();
    for (String name : stateNames()) {
      if ("Task".equals(states.get(name).path("Type").asText())) {
        names.add(name);
      }
    }
    assertThat(names).as("Task states").containsAll(STEPS.keySet()).contains(RECORD_FAILURE);
    return names;
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    Iterator<String> it = node.fieldNames();
    it.forEachRemaining(names::add);
    return names;
  }

  /**
   * Constructs the exception through a public constructor with sample arguments and asks
   * retryable().
   */
  private static boolean retryableOf(Class<?> type) throws Exception {
    for (Constructor<?> ctor : type.getConstructors()) {
      Class<?>[] params = ctor.getParameterTypes();
      Object[] args = new Object[params.length];
      boolean supported = true;
      for (int i = 0; i < params.length; i++) {
        if (params[i] == String.class) {
          args[i] = "test";
        } else if (params[i] == Duration.class) {
          args[i] = Duration.ofSeconds(1);
        } else if (Throwable.class.isAssignableFrom(params[i])) {
          args[i] = null;
        } else {
          supported = false;
        }
      }
      if (supported) {
        Object instance = ctor.newInstance(args);
        return (Boolean) type.getMethod("retryable").invoke(instance);
      }
    }
    return fail(
        "%s has no public constructor this test can call to ask retryable()", type.getName());
  }

  private static List<String> retryableErrors() {
    List<String> errors = new ArrayList<>();
    CUSTOM_ERROR_RETRYABLE.forEach(
        (simpleName, retryable) -> {
          if (retryable && !RATE_LIMITED.equals(ERRORS_PACKAGE + simpleName)) {
            errors.add(ERRORS_PACKAGE + simpleName);
          }
        });
    errors.add("States.Timeout");
    errors.addAll(LAMBDA_SERVICE_ERRORS);
    return List.copyOf(errors);
  }

  private static String first(Set<String> names) {
    return names.iterator().next();
  }

  @SuppressWarnings("unchecked")
  private static <V> Map<String, V> orderedMap(Object... keysAndValues) {
    Map<String, V> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
    }
    return map;
  }
}
