package io.stepwise.sfnlocal;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSONata states: a string value {@code "{% expr %}"} is an expression evaluated with {@code
 * $states} (input, result, errorOutput, context) and the workflow variables bound; any other value
 * is literal, and objects and arrays are templates whose values are evaluated the same way.
 * Expressions run on com.dashjoin:jsonata. A failure, or an expression that yields nothing where a
 * value is needed, is {@code States.QueryEvaluationError}.
 */
final class JsonataQueries {

  static final String ERROR = "States.QueryEvaluationError";
  private static final Map<String, Jsonata> PARSED = new ConcurrentHashMap<>();

  private JsonataQueries() {}

  static boolean isExpression(JsonNode value) {
    return value != null
        && value.isTextual()
        && value.asText().startsWith("{%")
        && value.asText().endsWith("%}");
  }

  /** Evaluates a template (any JSON value) with the given {@code $states} object and variables. */
  static JsonNode template(JsonNode template, JsonNode states, JsonNode vars) {
    if (isExpression(template)) {
      return evaluate(template.asText(), states, vars);
    }
    if (template.isObject()) {
      var out = Paths.JSON.createObjectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = template.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        JsonNode value = template(f.getValue(), states, vars);
        if (!value.isMissingNode()) {
          out.set(
              f.getKey(),
              value); // a field whose expression yields nothing is left out, as in JSONata objects
        }
      }
      return out;
    }
    if (template.isArray()) {
      var out = Paths.JSON.createArrayNode();
      template.forEach(
          item -> {
            JsonNode value = template(item, states, vars);
            if (!value.isMissingNode()) {
              out.add(value);
            }
          });
      return out;
    }
    return template;
  }

  /** Like {@link #template}, but a value is required: an expression yielding nothing fails. */
  static JsonNode required(JsonNode template, JsonNode states, JsonNode vars, String field) {
    JsonNode value = template(template, states, vars);
    if (value.isMissingNode()) {
      throw new StatesError(
          ERROR, "The JSONata expression in '" + field + "' returned nothing (undefined)");
    }
    return value;
  }

  /** One {@code {% expr %}} string; MissingNode when it yields nothing (undefined). */
  static JsonNode evaluate(String wrapped, JsonNode states, JsonNode vars) {
    String expression = wrapped.substring(2, wrapped.length() - 2).trim();
    try {
      Jsonata parsed = PARSED.computeIfAbsent(expression, Jsonata::jsonata);
      Jsonata.Frame frame = parsed.createFrame();
      frame.bind("states", Paths.JSON.convertValue(states, Object.class));
      if (vars != null) {
        vars.fields()
            .forEachRemaining(
                v -> frame.bind(v.getKey(), Paths.JSON.convertValue(v.getValue(), Object.class)));
      }
      Object result = parsed.evaluate(null, frame);
      if (result == null) {
        return MissingNode.getInstance();
      }
      return result == Jsonata.NULL_VALUE ? NullNode.instance : Paths.JSON.valueToTree(result);
    } catch (JException | IllegalArgumentException e) {
      throw new StatesError(
          ERROR, "The JSONata expression '" + expression + "' failed: " + e.getMessage());
    }
  }

  /** Parses without evaluating (for validation); the message of the first syntax error, or null. */
  static String syntaxError(String wrapped) {
    try {
      Jsonata.jsonata(wrapped.substring(2, wrapped.length() - 2).trim());
      return null;
    } catch (JException e) {
      return e.getMessage();
    }
  }
}
