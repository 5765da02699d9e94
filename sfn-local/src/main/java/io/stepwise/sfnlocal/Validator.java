package io.stepwise.sfnlocal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a definition as CreateStateMachine and ValidateStateMachineDefinition do, reporting each
 * problem with AWS's diagnostic code and a JSON-pointer location ({@code /States/Foo/Next}):
 * invalid JSON, a missing or unknown StartAt, an unknown state Type, a Next/Default/Catch target
 * that does not exist, a state that has neither Next nor End, {@code States.ALL} not alone and
 * last, a Task without a Resource, an unknown QueryLanguage, JSONPath fields in a JSONata state and
 * the reverse, and JSONata expressions that do not parse. Parallel branches and Map processors are
 * checked as state machines of their own.
 */
final class Validator {

  /** One problem: its code (e.g. {@code MISSING_TRANSITION_TARGET}), what is wrong, and where. */
  record Diagnostic(String code, String message, String location) {
    String describe() {
      return code + ": " + message + " at " + location;
    }
  }

  private static final Set<String> TYPES =
      Set.of("Task", "Choice", "Pass", "Wait", "Succeed", "Fail", "Parallel", "Map");
  private static final Set<String> TERMINAL = Set.of("Succeed", "Fail");
  private static final Set<String> JSONPATH_ONLY =
      Set.of(
          "InputPath",
          "Parameters",
          "ResultSelector",
          "ResultPath",
          "OutputPath",
          "ItemsPath",
          "TimeoutSecondsPath",
          "HeartbeatSecondsPath",
          "SecondsPath",
          "TimestampPath",
          "ErrorPath",
          "CausePath");
  private static final Set<String> JSONATA_ONLY = Set.of("Arguments", "Output", "Items");
  private static final int MAX_STATE_NAME = 80;

  private final List<Diagnostic> found = new ArrayList<>();

  private Validator() {}

  static List<Diagnostic> validate(String definition) {
    Validator v = new Validator();
    if (definition == null || definition.isBlank()) {
      v.found.add(new Diagnostic("MISSING_DESCRIPTION", "The definition is empty", "/"));
      return v.found;
    }
    JsonNode parsed;
    try {
      parsed = Paths.JSON.readTree(definition);
    } catch (JsonProcessingException e) {
      v.found.add(
          new Diagnostic(
              "INVALID_JSON_DESCRIPTION",
              "The definition is not valid JSON: " + e.getOriginalMessage(),
              "/"));
      return v.found;
    }
    if (parsed == null || !parsed.isObject()) {
      v.found.add(
          new Diagnostic("SCHEMA_VALIDATION_FAILED", "The definition must be a JSON object", "/"));
      return v.found;
    }
    String language = parsed.path("QueryLanguage").asText("JSONPath");
    if (!language.equals("JSONPath") && !language.equals("JSONata")) {
      v.error(
          "SCHEMA_VALIDATION_FAILED",
          "QueryLanguage must be JSONPath or JSONata, not '" + language + "'",
          "/QueryLanguage");
    }
    if (parsed.has("TimeoutSeconds") && !positiveInteger(parsed.get("TimeoutSeconds"))) {
      v.error(
          "SCHEMA_VALIDATION_FAILED",
          "TimeoutSeconds must be a positive integer",
          "/TimeoutSeconds");
    }
    v.machine(parsed, "", language);
    return v.found;
  }

  /**
   * What an EXPRESS state machine cannot have on top of {@link #validate}: Express workflows
   * support only the Request Response integration pattern, not {@code .sync} or {@code
   * .waitForTaskToken}.
   */
  static List<Diagnostic> expressProblems(JsonNode definition) {
    Validator v = new Validator();
    v.express(definition, "");
    return v.found;
  }

  private void express(JsonNode machine, String at) {
    Iterator<Map.Entry<String, JsonNode>> it = machine.path("States").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String where = at + "/States/" + e.getKey();
      JsonNode state = e.getValue();
      String resource = state.path("Resource").asText();
      for (String suffix : List.of(".sync", ".sync:2", TaskCalls.WAIT_FOR_TASK_TOKEN)) {
        if (resource.startsWith("arn:aws:states:::") && resource.endsWith(suffix)) {
          error(
              "SCHEMA_VALIDATION_FAILED",
              "Express state machine does not support '" + suffix + "' service integration",
              where + "/Resource");
        }
      }
      JsonNode branches = state.path("Branches");
      for (int i = 0; i < branches.size(); i++) {
        express(branches.get(i), where + "/Branches/" + i);
      }
      for (String field : List.of("ItemProcessor", "Iterator")) {
        if (state.has(field)) {
          express(state.get(field), where + "/" + field);
        }
      }
    }
  }

  private void machine(JsonNode machine, String at, String language) {
    JsonNode states = machine.get("States");
    if (states == null || !states.isObject() || states.isEmpty()) {
      error(
          "SCHEMA_VALIDATION_FAILED",
          "The field 'States' must be a non-empty object",
          at + "/States");
      return;
    }
    if (!machine.path("StartAt").isTextual()) {
      error("SCHEMA_VALIDATION_FAILED", "The field 'StartAt' is required", at + "/StartAt");
    } else if (!states.has(machine.get("StartAt").asText())) {
      error(
          "MISSING_TRANSITION_TARGET",
          "Missing 'Next' target: " + machine.get("StartAt").asText(),
          at + "/StartAt");
    }
    boolean terminal = false;
    Iterator<Map.Entry<String, JsonNode>> it = states.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String where = at + "/States/" + e.getKey();
      terminal |= state(e.getKey(), e.getValue(), states, where, language);
    }
    if (!terminal) {
      error("MISSING_END_STATE", "The workflow has no terminal state", at + "/States");
    }
  }

  /** Checks one state; whether it can end the (sub)machine. */
  private boolean state(String name, JsonNode state, JsonNode states, String at, String inherited) {
    if (name.isEmpty() || name.length() > MAX_STATE_NAME) {
      error("INVALID_STATE_NAME", "State names must be 1 to " + MAX_STATE_NAME + " characters", at);
    }
    if (!state.isObject()) {
      error("SCHEMA_VALIDATION_FAILED", "A state must be an object", at);
      return false;
    }
    String type = state.path("Type").asText();
    if (!TYPES.contains(type)) {
      error(
          "SCHEMA_VALIDATION_FAILED",
          "The field 'Type' should have one of these values: " + TYPES.stream().sorted().toList(),
          at + "/Type");
      return false;
    }
    String language = state.path("QueryLanguage").asText(inherited);
    if (inherited.equals("JSONata") && language.equals("JSONPath")) {
      error(
          "SCHEMA_VALIDATION_FAILED",
          "A state cannot use JSONPath in a JSONata state machine",
          at + "/QueryLanguage");
    }
    languageFields(state, at, language);
    boolean end = state.path("End").asBoolean(false);
    boolean hasNext = state.has("Next");
    if (type.equals("Choice")) {
      choice(state, states, at, language);
    } else if (TERMINAL.contains(type)) {
      if (hasNext || state.has("End")) {
        error("SCHEMA_VALIDATION_FAILED", "A " + type + " state cannot have 'Next' or 'End'", at);
      }
    } else if (hasNext && end) {
      error("SCHEMA_VALIDATION_FAILED", "A state cannot have both 'Next' and 'End'", at);
    } else if (!hasNext && !end) {
      error("SCHEMA_VALIDATION_FAILED", "A " + type + " state needs 'Next' or 'End': true", at);
    } else if (hasNext) {
      target(state.get("Next"), states, at + "/Next");
    }
    if (type.equals("Task") && !state.path("Resource").isTextual()) {
      error("SCHEMA_VALIDATION_FAILED", "The field 'Resource' is required", at + "/Resource");
    } else if (type.equals("Task") && !state.get("Resource").asText().startsWith("arn:")) {
      error(
          "INVALID_RESOURCE",
          "The resource '" + state.get("Resource").asText() + "' is not a valid ARN",
          at + "/Resource");
    }
    for (String field : List.of("TimeoutSeconds", "HeartbeatSeconds")) {
      if (state.has(field)
          && !JsonataQueries.isExpression(state.get(field))
          && !positiveInteger(state.get(field))) {
        error("SCHEMA_VALIDATION_FAILED", field + " must be a positive integer", at + "/" + field);
      }
    }
    if (state.has("TimeoutSeconds")
        && state.has("HeartbeatSeconds")
        && state.get("TimeoutSeconds").isNumber()
        && state.get("HeartbeatSeconds").asLong() >= state.get("TimeoutSeconds").asLong()) {
      error(
          "SCHEMA_VALIDATION_FAILED",
          "HeartbeatSeconds must be smaller than TimeoutSeconds",
          at + "/HeartbeatSeconds");
    }
    rules(state.get("Retry"), at + "/Retry", null);
    rules(state.get("Catch"), at + "/Catch", states);
    if (type.equals("Parallel")) {
      JsonNode branches = state.get("Branches");
      if (branches == null || !branches.isArray() || branches.isEmpty()) {
        error(
            "SCHEMA_VALIDATION_FAILED",
            "The field 'Branches' must be a non-empty array",
            at + "/Branches");
      } else {
        for (int i = 0; i < branches.size(); i++) {
          machine(branches.get(i), at + "/Branches/" + i, language);
        }
      }
    }
    if (type.equals("Map")) {
      String field = state.has("ItemProcessor") ? "ItemProcessor" : "Iterator";
      if (!state.has(field)) {
        error(
            "SCHEMA_VALIDATION_FAILED",
            "The field 'ItemProcessor' is required",
            at + "/ItemProcessor");
      } else {
        machine(state.get(field), at + "/" + field, language);
      }
    }
    return end || TERMINAL.contains(type);
  }

  private void languageFields(JsonNode state, String at, String language) {
    Iterator<String> fields = state.fieldNames();
    while (fields.hasNext()) {
      String field = fields.next();
      if (language.equals("JSONata") && JSONPATH_ONLY.contains(field)) {
        error(
            "SCHEMA_VALIDATION_FAILED",
            "The field '" + field + "' is not supported in a JSONata state",
            at + "/" + field);
      } else if (language.equals("JSONPath") && JSONATA_ONLY.contains(field)) {
        error(
            "SCHEMA_VALIDATION_FAILED",
            "The field '" + field + "' is not supported in a JSONPath state",
            at + "/" + field);
      }
    }
    if (language.equals("JSONata")) {
      expressions(state, at);
    } else {
      for (String field : List.of("Parameters", "ResultSelector", "Assign", "ItemSelector")) {
        if (state.has(field)) {
          intrinsics(state.get(field), at + "/" + field);
        }
      }
      paths(state, at);
    }
    if (state.path("Assign").isObject()
        && (state.get("Assign").has("states") || state.get("Assign").has("states.$"))) {
      error("SCHEMA_VALIDATION_FAILED", "'states' is a reserved variable name", at + "/Assign");
    }
  }

  /**
   * JSONPath states: every path field is a path ({@code $...}); InputPath, OutputPath and
   * ResultPath may be null.
   */
  private void paths(JsonNode state, String at) {
    for (String field :
        List.of(
            "InputPath",
            "OutputPath",
            "ResultPath",
            "ItemsPath",
            "TimeoutSecondsPath",
            "HeartbeatSecondsPath",
            "SecondsPath",
            "TimestampPath")) {
      JsonNode value = state.get(field);
      boolean nullable =
          field.equals("InputPath") || field.equals("OutputPath") || field.equals("ResultPath");
      if (value != null
          && !(value.isNull() && nullable)
          && !(value.isTextual() && value.asText().startsWith("$"))) {
        error(
            "SCHEMA_VALIDATION_FAILED",
            "The value for the field '" + field + "' must be a valid JSONPath",
            at + "/" + field);
      }
    }
    if (state.path("ResultPath").asText("$").startsWith("$$")) {
      error(
          "SCHEMA_VALIDATION_FAILED",
          "The value for the field 'ResultPath' must be a valid Reference Path",
          at + "/ResultPath");
    }
    for (String field : List.of("Parameters", "ResultSelector", "ItemSelector")) {
      if (state.has(field)) {
        templatePaths(state.get(field), at + "/" + field);
      }
    }
  }

  /** A {@code "field.$"} value is a path or an intrinsic function call. */
  private void templatePaths(JsonNode template, String at) {
    template
        .fields()
        .forEachRemaining(
            f -> {
              String where = at + "/" + f.getKey();
              if (f.getKey().endsWith(".$")) {
                String v = f.getValue().asText("");
                if (!f.getValue().isTextual() || !(v.startsWith("$") || v.startsWith("States."))) {
                  error(
                      "SCHEMA_VALIDATION_FAILED",
                      "The value for the field '"
                          + f.getKey()
                          + "' must be a valid JSONPath or a valid intrinsic function call",
                      where);
                }
              } else if (f.getValue().isObject()) {
                templatePaths(f.getValue(), where);
              }
            });
  }

  private static final Pattern CALL = Pattern.compile("(States\\.[A-Za-z0-9]+)\\s*\\(");

  /** Every intrinsic function a {@code "field.$"} of a payload template calls must exist. */
  private void intrinsics(JsonNode template, String at) {
    if (template.isObject()) {
      template
          .fields()
          .forEachRemaining(
              f -> {
                String where = at + "/" + f.getKey();
                if (f.getKey().endsWith(".$") && f.getValue().isTextual()) {
                  var calls = CALL.matcher(f.getValue().asText());
                  while (calls.find()) {
                    if (!Intrinsics.NAMES.contains(calls.group(1))) {
                      error(
                          "SCHEMA_VALIDATION_FAILED",
                          "The intrinsic function " + calls.group(1) + " does not exist",
                          where);
                    }
                  }
                } else {
                  intrinsics(f.getValue(), where);
                }
              });
    } else if (template.isArray()) {
      for (int i = 0; i < template.size(); i++) {
        intrinsics(template.get(i), at + "/" + i);
      }
    }
  }

  /** Every {@code {% %}} string in a JSONata state must parse. */
  private void expressions(JsonNode node, String at) {
    if (JsonataQueries.isExpression(node)) {
      String problem = JsonataQueries.syntaxError(node.asText());
      if (problem != null) {
        error(
            "SCHEMA_VALIDATION_FAILED",
            "The JSONata expression " + node.asText() + " does not parse: " + problem,
            at);
      }
    } else if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              f -> {
                if (!f.getKey().equals("Branches") && !f.getKey().equals("ItemProcessor")) {
                  expressions(f.getValue(), at + "/" + f.getKey());
                }
              });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        expressions(node.get(i), at + "/" + i);
      }
    }
  }

  private void choice(JsonNode state, JsonNode states, String at, String language) {
    JsonNode choices = state.get("Choices");
    if (choices == null || !choices.isArray() || choices.isEmpty()) {
      error(
          "SCHEMA_VALIDATION_FAILED",
          "The field 'Choices' must be a non-empty array",
          at + "/Choices");
      return;
    }
    if (state.has("End") || state.has("Next")) {
      error("SCHEMA_VALIDATION_FAILED", "A Choice state cannot have 'Next' or 'End'", at);
    }
    for (int i = 0; i < choices.size(); i++) {
      JsonNode rule = choices.get(i);
      String where = at + "/Choices/" + i;
      if (!rule.has("Next")) {
        error("SCHEMA_VALIDATION_FAILED", "A Choice rule needs 'Next'", where);
      } else {
        target(rule.get("Next"), states, where + "/Next");
      }
      if (language.equals("JSONata") && !rule.has("Condition")) {
        error("SCHEMA_VALIDATION_FAILED", "A JSONata Choice rule needs 'Condition'", where);
      }
    }
    if (state.has("Default")) {
      target(state.get("Default"), states, at + "/Default");
    }
  }

  /**
   * Retry or Catch: ErrorEquals non-empty, {@code States.ALL} alone and in the last rule; a Catch's
   * Next exists.
   */
  private void rules(JsonNode rules, String at, JsonNode states) {
    if (rules == null) {
      return;
    }
    if (!rules.isArray()) {
      error("SCHEMA_VALIDATION_FAILED", "Must be an array", at);
      return;
    }
    for (int i = 0; i < rules.size(); i++) {
      JsonNode rule = rules.get(i);
      String where = at + "/" + i;
      JsonNode errors = rule.get("ErrorEquals");
      if (errors == null || !errors.isArray() || errors.isEmpty()) {
        error(
            "SCHEMA_VALIDATION_FAILED",
            "The field 'ErrorEquals' must be a non-empty array",
            where + "/ErrorEquals");
        continue;
      }
      Set<String> names = new HashSet<>();
      errors.forEach(e -> names.add(e.asText()));
      if (names.contains("States.ALL") && errors.size() > 1) {
        error(
            "SCHEMA_VALIDATION_FAILED",
            "States.ALL must appear alone in 'ErrorEquals'",
            where + "/ErrorEquals");
      }
      if (names.contains("States.ALL") && i < rules.size() - 1) {
        error(
            "SCHEMA_VALIDATION_FAILED",
            "The rule with States.ALL must be the last one",
            where + "/ErrorEquals");
      }
      if (states != null) {
        if (!rule.has("Next")) {
          error("SCHEMA_VALIDATION_FAILED", "A Catcher needs 'Next'", where);
        } else {
          target(rule.get("Next"), states, where + "/Next");
        }
      } else {
        retrier(rule, where);
      }
    }
  }

  private void retrier(JsonNode rule, String at) {
    if (rule.has("MaxAttempts")
        && (!rule.get("MaxAttempts").isIntegralNumber() || rule.get("MaxAttempts").asInt() < 0)) {
      error(
          "SCHEMA_VALIDATION_FAILED",
          "MaxAttempts must be a non-negative integer",
          at + "/MaxAttempts");
    }
    if (rule.has("BackoffRate")
        && (!rule.get("BackoffRate").isNumber() || rule.get("BackoffRate").asDouble() < 1)) {
      error(
          "SCHEMA_VALIDATION_FAILED",
          "BackoffRate must be a number of at least 1.0",
          at + "/BackoffRate");
    }
    if (rule.has("IntervalSeconds") && !positiveInteger(rule.get("IntervalSeconds"))) {
      error(
          "SCHEMA_VALIDATION_FAILED",
          "IntervalSeconds must be a positive integer",
          at + "/IntervalSeconds");
    }
    if (rule.has("JitterStrategy")
        && !Set.of("FULL", "NONE").contains(rule.get("JitterStrategy").asText())) {
      error(
          "SCHEMA_VALIDATION_FAILED",
          "JitterStrategy must be FULL or NONE",
          at + "/JitterStrategy");
    }
  }

  private void target(JsonNode next, JsonNode states, String at) {
    if (!next.isTextual() || !states.has(next.asText())) {
      error("MISSING_TRANSITION_TARGET", "Missing 'Next' target: " + next.asText(), at);
    }
  }

  private static boolean positiveInteger(JsonNode value) {
    return value.isIntegralNumber() && value.asLong() > 0;
  }

  private void error(String code, String message, String location) {
    found.add(new Diagnostic(code, message, location));
  }
}
