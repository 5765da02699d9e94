package io.stepwise.sfnlocal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * TestState: one state run on a given input, as AWS's TestState does. The status is SUCCEEDED,
 * FAILED, RETRIABLE (a Retrier matched the error: TestState does not retry) or CAUGHT_ERROR (a
 * Catcher matched: {@code nextState} is its Next and the output the caught error placed). With
 * inspectionLevel DEBUG or TRACE, {@code inspectionData} shows every step of the data flow (input,
 * afterInputPath, afterParameters or afterArguments, result, afterResultSelector, afterResultPath,
 * variables); INFO shows only the outcome. TRACE adds HTTP request and response details on AWS for
 * HTTP Tasks only, which the emulator has none of, so it equals DEBUG here. Wait states do not
 * wait.
 */
final class StateTester {

  private static final Set<String> LEVELS = Set.of("INFO", "DEBUG", "TRACE");

  private final Interpreter interpreter;
  private final String account;

  StateTester(Interpreter interpreter, String account) {
    this.interpreter = interpreter;
    this.account = account;
  }

  Object test(JsonNode r) {
    JsonNode state = state(r.path("definition").asText(null));
    String level = r.path("inspectionLevel").asText("INFO");
    if (!LEVELS.contains(level)) {
      throw new StepFunctionsEmulator.AwsError(
          "ValidationException",
          "1 validation error detected: Value '"
              + level
              + "' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]");
    }
    String name = r.path("stateName").asText("TestState");
    String input = r.hasNonNull("input") ? r.get("input").asText() : "{}";
    JsonNode parsedInput = json(input, "input");
    ObjectNode vars =
        r.hasNonNull("variables")
                && json(r.get("variables").asText(), "variables") instanceof ObjectNode v
            ? v
            : Paths.JSON.createObjectNode();
    Execution ex =
        new Execution(
            "arn:aws:states:"
                + StepFunctionsEmulator.REGION
                + ":"
                + account
                + ":execution:TestStateMachine:"
                + UUID.randomUUID(),
            "TestState",
            "arn:aws:states:"
                + StepFunctionsEmulator.REGION
                + ":"
                + account
                + ":stateMachine:TestStateMachine",
            input,
            Instant.now());
    ex.express = true;
    ex.roleArn = r.path("roleArn").asText(ex.roleArn);
    ObjectNode inspection = Paths.JSON.createObjectNode();
    ObjectNode out = Paths.JSON.createObjectNode();
    try {
      Interpreter.Step step = interpreter.test(ex, name, state, parsedInput, vars, inspection);
      out.put("status", step.caught() != null ? "CAUGHT_ERROR" : "SUCCEEDED")
          .put("output", step.output().toString());
      if (step.next() != null) {
        out.put("nextState", step.next());
      }
      if (step.caught() != null) {
        out.put("error", step.caught().error()).put("cause", step.caught().cause());
      }
    } catch (Interpreter.Retriable e) {
      out.put("status", "RETRIABLE").put("error", e.error.error()).put("cause", e.error.cause());
    } catch (StatesError e) {
      out.put("status", "FAILED").put("error", e.error()).put("cause", e.cause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFunctionsEmulator.AwsError("InternalFailure", "interrupted");
    }
    if (!level.equals("INFO")) {
      out.set("inspectionData", inspection);
    }
    return out;
  }

  /**
   * The state to test: a definition of one state, checked as a state machine whose transitions all
   * exist.
   */
  private static JsonNode state(String definition) {
    JsonNode state = definition == null ? null : json(definition, "definition");
    if (state == null || !state.isObject()) {
      throw new StepFunctionsEmulator.AwsError(
          "InvalidDefinition",
          "Invalid State Machine Definition: 'The definition must be one state (a JSON object)'");
    }
    String type = state.path("Type").asText();
    if (type.equals("Parallel") || type.equals("Map")) {
      throw new StepFunctionsEmulator.AwsError(
          "ValidationException", "TestState does not support " + type + " states without a mock");
    }
    if (type.equals("Task") && TaskCalls.waitsForToken(state)) {
      throw new StepFunctionsEmulator.AwsError(
          "ValidationException",
          "TestState does not support the .waitForTaskToken integration pattern without a mock");
    }
    ObjectNode machine = Paths.JSON.createObjectNode().put("StartAt", "TestState");
    if (state.has("QueryLanguage")) {
      machine.set("QueryLanguage", state.get("QueryLanguage"));
    }
    ObjectNode states = machine.putObject("States");
    states.set("TestState", state);
    for (String target : targets(state)) {
      states.putObject(target).put("Type", "Succeed");
    }
    List<Validator.Diagnostic> problems = Validator.validate(machine.toString());
    if (!problems.isEmpty()) {
      throw new StepFunctionsEmulator.AwsError(
          "InvalidDefinition",
          "Invalid State Machine Definition: '"
              + String.join(
                  ", ",
                  problems.stream()
                      .map(d -> d.describe().replace("/States/TestState", ""))
                      .toList())
              + "'");
    }
    return state;
  }

  private static Set<String> targets(JsonNode state) {
    Set<String> names = new HashSet<>();
    if (state.path("Next").isTextual()) {
      names.add(state.get("Next").asText());
    }
    if (state.path("Default").isTextual()) {
      names.add(state.get("Default").asText());
    }
    state.path("Choices").forEach(c -> names.add(c.path("Next").asText()));
    state.path("Catch").forEach(c -> names.add(c.path("Next").asText()));
    names.remove("TestState");
    names.remove("");
    return names;
  }

  private static JsonNode json(String text, String field) {
    try {
      return Paths.JSON.readTree(text);
    } catch (IOException e) {
      throw new StepFunctionsEmulator.AwsError(
          "InvalidExecutionInput", "The " + field + " is not valid JSON: " + e.getMessage());
    }
  }
}
