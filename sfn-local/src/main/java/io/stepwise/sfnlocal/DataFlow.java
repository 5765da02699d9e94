package io.stepwise.sfnlocal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * How one state's data moves, in either query language. JSONPath: InputPath → Parameters → (the
 * work) → ResultSelector → ResultPath → OutputPath, with Assign evaluated on the selected result.
 * JSONata: Arguments → (the work) → Output, with {@code $states.input/result/errorOutput/context}
 * bound, Assign and Output both seeing the variables as they were before the state. Every step is
 * recorded in the TestState inspection data when there is one.
 */
final class DataFlow {

  static final String JSONATA = "JSONata";

  final JsonNode state;
  final JsonNode input;
  final ObjectNode context;
  final ObjectNode vars;
  final boolean jsonata;

  /** TestState's inspectionData, or null outside TestState. */
  final ObjectNode inspection;

  private JsonNode assigned;

  DataFlow(
      JsonNode state,
      JsonNode input,
      ObjectNode context,
      ObjectNode vars,
      String defaultLanguage,
      ObjectNode inspection) {
    this.state = state;
    this.input = input;
    this.context = context;
    this.vars = vars;
    this.jsonata = JSONATA.equals(state.path("QueryLanguage").asText(defaultLanguage));
    this.inspection = inspection;
    record("input", input);
  }

  /**
   * The effective input of the work: InputPath then Parameters (JSONPath), or Arguments (JSONata).
   */
  JsonNode arguments(String parametersField) {
    if (jsonata) {
      if (!state.has("Arguments")) {
        return input;
      }
      JsonNode args =
          JsonataQueries.required(state.get("Arguments"), states(null, null), vars, "Arguments");
      record("afterArguments", args);
      return args;
    }
    JsonNode effective = Paths.select(input, state.get("InputPath"));
    record("afterInputPath", effective);
    if (parametersField == null || !state.has(parametersField)) {
      return effective;
    }
    JsonNode params = Paths.template(state.get(parametersField), effective, context, vars);
    record("afterParameters", params);
    return params;
  }

  /**
   * The input after InputPath only (JSONPath), for fields such as ItemsPath and TimeoutSecondsPath.
   */
  JsonNode effectiveInput() {
    return jsonata ? input : Paths.select(input, state.get("InputPath"));
  }

  /** A JSONata value field of this state (or a literal), evaluated against the input. */
  JsonNode value(JsonNode field, String name) {
    return jsonata ? JsonataQueries.required(field, states(null, null), vars, name) : field;
  }

  /**
   * The state's output from the work's result (ResultSelector, Assign, ResultPath, OutputPath /
   * Assign, Output).
   */
  JsonNode output(JsonNode result) {
    record("result", result);
    if (jsonata) {
      JsonNode states = states(result, null);
      assign(state.get("Assign"), states, null);
      JsonNode output =
          state.has("Output")
              ? JsonataQueries.required(state.get("Output"), states, vars, "Output")
              : result;
      return commit(output);
    }
    JsonNode selected = result;
    if (state.has("ResultSelector")) {
      selected = Paths.template(state.get("ResultSelector"), result, context, vars);
      record("afterResultSelector", selected);
    }
    assign(state.get("Assign"), null, selected);
    JsonNode placed =
        Paths.place(
            input,
            state.has("ResultPath")
                ? state.get("ResultPath")
                : Paths.JSON.getNodeFactory().textNode("$"),
            selected);
    record("afterResultPath", placed);
    return commit(Paths.select(placed, state.get("OutputPath")));
  }

  /**
   * Output of a state that does no work and has no ResultPath (Wait, Succeed, Choice): OutputPath /
   * Output.
   */
  JsonNode passThrough(JsonNode assign, JsonNode output) {
    if (jsonata) {
      JsonNode states = states(null, null);
      assign(assign, states, null);
      return commit(
          output != null ? JsonataQueries.required(output, states, vars, "Output") : input);
    }
    JsonNode effective = Paths.select(input, state.get("InputPath"));
    assign(assign, null, effective);
    return commit(Paths.select(effective, state.get("OutputPath")));
  }

  /**
   * A Catch's output: the error output placed by the catcher's ResultPath (JSONPath) or its Output
   * (JSONata).
   */
  JsonNode caught(JsonNode catcher, ObjectNode errorOutput) {
    if (jsonata) {
      JsonNode states = states(null, errorOutput);
      assign(catcher.get("Assign"), states, null);
      return commit(
          catcher.has("Output")
              ? JsonataQueries.required(catcher.get("Output"), states, vars, "Output")
              : errorOutput);
    }
    assign(catcher.get("Assign"), null, errorOutput);
    return commit(
        Paths.place(
            input,
            catcher.has("ResultPath")
                ? catcher.get("ResultPath")
                : Paths.JSON.getNodeFactory().textNode("$"),
            errorOutput));
  }

  /** {@code $states} of a JSONata expression. */
  ObjectNode states(JsonNode result, JsonNode errorOutput) {
    ObjectNode states = Paths.JSON.createObjectNode();
    states.set("input", input);
    states.set("context", context);
    if (result != null) {
      states.set("result", result);
    }
    if (errorOutput != null) {
      states.set("errorOutput", errorOutput);
    }
    return states;
  }

  /**
   * Evaluates an Assign block against the variables as they are before this state; the values take
   * effect together, once the state's output is known ({@link #commit}). JSONPath: {@code "name.$"}
   * fields are paths or intrinsics over {@code $} (the selected result, or the error output in a
   * Catch).
   */
  private void assign(JsonNode assign, JsonNode states, JsonNode dollar) {
    if (assign == null) {
      return;
    }
    if (jsonata) {
      assigned = JsonataQueries.template(assign, states, vars);
      return;
    }
    ObjectNode values = Paths.JSON.createObjectNode();
    Iterator<Map.Entry<String, JsonNode>> fields = assign.fields();
    JsonNode evaluated = Paths.template(assign, dollar, context, vars);
    while (fields.hasNext()) {
      String key = fields.next().getKey();
      String name = key.endsWith(".$") ? key.substring(0, key.length() - 2) : key;
      values.set(name, evaluated.get(name));
    }
    assigned = values;
  }

  private JsonNode commit(JsonNode output) {
    if (assigned != null) {
      vars.setAll((ObjectNode) assigned);
      record("variables", vars);
      assigned = null;
    }
    return output;
  }

  void record(String field, JsonNode value) {
    if (inspection != null && value != null) {
      inspection.put(field, value.toString());
    }
  }
}
