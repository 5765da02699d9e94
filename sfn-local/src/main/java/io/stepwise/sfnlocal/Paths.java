package io.stepwise.sfnlocal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.util.Iterator;
import java.util.Map;

/**
 * The States Language's paths: JSONPath reads (Jayway JSONPath over Jackson trees), Reference Paths
 * for writing ResultPath, and Payload Templates ({@code "key.$": "$.path"} / {@code "$$.context"}).
 */
final class Paths {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final Configuration CONFIG =
      Configuration.builder()
          .jsonProvider(new JacksonJsonNodeJsonProvider(JSON))
          .mappingProvider(new JacksonMappingProvider(JSON))
          .options(Option.SUPPRESS_EXCEPTIONS)
          .build();
  private static final Configuration STRICT =
      Configuration.builder()
          .jsonProvider(new JacksonJsonNodeJsonProvider(JSON))
          .mappingProvider(new JacksonMappingProvider(JSON))
          .build();

  private Paths() {}

  /** Reads a path; a path that matches nothing is {@code States.Runtime}, as in Step Functions. */
  static JsonNode read(JsonNode document, String path) {
    if (path.equals("$")) {
      return document;
    }
    try {
      Object value = JsonPath.using(STRICT).parse(document).read(path);
      return value instanceof JsonNode node ? node : JSON.valueToTree(value);
    } catch (PathNotFoundException e) {
      throw new StatesError(
          "States.Runtime",
          "The JSONPath '" + path + "' could not be found in the input '" + document + "'");
    }
  }

  /** Whether a path matches anything (for Choice's IsPresent). */
  static boolean present(JsonNode document, String path) {
    Object value = JsonPath.using(CONFIG).parse(document).read(path);
    return value != null;
  }

  /** InputPath / OutputPath: null means an empty object; absent means the whole document. */
  static JsonNode select(JsonNode document, JsonNode path) {
    if (path == null) {
      return document;
    }
    if (path.isNull()) {
      return JSON.createObjectNode();
    }
    return read(document, path.asText());
  }

  /** ResultPath: where the result goes in (a copy of) the state input; null discards the result. */
  static JsonNode place(JsonNode input, JsonNode resultPath, JsonNode result) {
    if (resultPath == null) {
      return result;
    }
    if (resultPath.isNull()) {
      return input;
    }
    String path = resultPath.asText();
    if (path.equals("$")) {
      return result;
    }
    if (!path.startsWith("$.")) {
      throw new StatesError("States.Runtime", "unsupported ResultPath " + path);
    }
    if (!input.isObject()) {
      throw new StatesError(
          "States.ResultPathMatchFailure",
          "Unable to apply ResultPath \""
              + path
              + "\" to input "
              + input
              + ": the input is not a JSON object");
    }
    JsonNode copy = input.deepCopy();
    String[] fields = path.substring(2).split("\\.");
    ObjectNode target = (ObjectNode) copy;
    for (int i = 0; i < fields.length - 1; i++) {
      JsonNode next = target.get(fields[i]);
      if (next == null || next.isNull()) {
        next = target.putObject(fields[i]);
      } else if (!next.isObject()) {
        throw new StatesError(
            "States.ResultPathMatchFailure",
            "Unable to apply ResultPath \""
                + path
                + "\" to input "
                + input
                + ": '"
                + fields[i]
                + "' is not a JSON object");
      }
      target = (ObjectNode) next;
    }
    target.set(fields[fields.length - 1], result == null ? NullNode.instance : result);
    return copy;
  }

  /** Evaluates a Payload Template against the input and the context object. */
  static JsonNode template(JsonNode template, JsonNode input, JsonNode context) {
    return template(template, input, context, JSON.createObjectNode());
  }

  /**
   * Evaluates a Payload Template against the input, the context object and the workflow variables.
   */
  static JsonNode template(JsonNode template, JsonNode input, JsonNode context, JsonNode vars) {
    if (template.isObject()) {
      ObjectNode out = JSON.createObjectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = template.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        if (f.getKey().endsWith(".$")) {
          out.set(
              f.getKey().substring(0, f.getKey().length() - 2),
              dynamic(f.getValue().asText(), input, context, vars));
        } else {
          out.set(f.getKey(), template(f.getValue(), input, context, vars));
        }
      }
      return out;
    }
    if (template.isArray()) {
      var out = JSON.createArrayNode();
      template.forEach(item -> out.add(template(item, input, context, vars)));
      return out;
    }
    return template;
  }

  private static JsonNode dynamic(
      String expression, JsonNode input, JsonNode context, JsonNode vars) {
    if (expression.startsWith("States.")) {
      return Intrinsics.evaluate(expression, input, context, vars);
    }
    if (expression.startsWith("$")) {
      return resolve(expression, input, context, vars);
    }
    throw new StatesError("States.Runtime", "unsupported payload expression " + expression);
  }

  /**
   * A path that may start at the input ({@code $}, {@code $.a}, {@code $[0]}), the context object
   * ({@code $$.a}) or a workflow variable ({@code $name}, {@code $name.a}); a path that matches
   * nothing is {@code States.Runtime}.
   */
  static JsonNode resolve(String path, JsonNode input, JsonNode context, JsonNode vars) {
    if (path.startsWith("$$")) {
      return read(context, path.substring(1));
    }
    String variable = variableName(path);
    if (variable == null) {
      return read(input, path);
    }
    JsonNode value = vars == null ? null : vars.get(variable);
    if (value == null) {
      throw new StatesError("States.Runtime", "The variable '$" + variable + "' is not defined");
    }
    return read(value, "$" + path.substring(1 + variable.length()));
  }

  /** Whether {@link #resolve} would find something (Choice's IsPresent). */
  static boolean presentAnywhere(String path, JsonNode input, JsonNode context, JsonNode vars) {
    if (path.startsWith("$$")) {
      return present(context, path.substring(1));
    }
    String variable = variableName(path);
    if (variable == null) {
      return present(input, path);
    }
    JsonNode value = vars == null ? null : vars.get(variable);
    return value != null && present(value, "$" + path.substring(1 + variable.length()));
  }

  /** The variable a path starts at ({@code $name...}), or null for an input path. */
  static String variableName(String path) {
    if (!path.startsWith("$")
        || path.length() < 2
        || !Character.isJavaIdentifierStart(path.charAt(1))) {
      return null;
    }
    int end = 1;
    while (end < path.length()
        && Character.isJavaIdentifierPart(path.charAt(end))
        && path.charAt(end) != '$') {
      end++;
    }
    return path.substring(1, end);
  }
}
