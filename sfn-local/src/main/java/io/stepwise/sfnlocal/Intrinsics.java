package io.stepwise.sfnlocal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The intrinsic functions this emulator supports: {@code States.Format}, {@code States.StringToJson},
 * {@code States.JsonToString}, {@code States.Array}, {@code States.UUID}. Others fail with
 * {@code States.Runtime} naming the function, rather than doing something approximate.
 */
final class Intrinsics {

  private Intrinsics() {}

  static JsonNode evaluate(String expression, JsonNode input, JsonNode context) {
    int open = expression.indexOf('(');
    if (open < 0 || !expression.endsWith(")")) {
      throw new StatesError("States.Runtime", "malformed intrinsic function " + expression);
    }
    String name = expression.substring(0, open).trim();
    List<JsonNode> args = new ArrayList<>();
    for (String raw : split(expression.substring(open + 1, expression.length() - 1))) {
      args.add(argument(raw.trim(), input, context));
    }
    try {
      return switch (name) {
        case "States.Format" -> format(args);
        case "States.StringToJson" -> Paths.JSON.readTree(args.get(0).asText());
        case "States.JsonToString" -> TextNode.valueOf(Paths.JSON.writeValueAsString(args.get(0)));
        case "States.Array" -> Paths.JSON.valueToTree(args);
        case "States.UUID" -> TextNode.valueOf(UUID.randomUUID().toString());
        default -> throw new StatesError("States.Runtime", "intrinsic function " + name + " is not supported by the local emulator");
      };
    } catch (JsonProcessingException e) {
      throw new StatesError("States.Runtime", name + ": " + e.getOriginalMessage());
    }
  }

  private static JsonNode format(List<JsonNode> args) {
    String template = args.get(0).asText();
    StringBuilder out = new StringBuilder();
    int next = 1;
    for (int i = 0; i < template.length(); i++) {
      if (template.startsWith("{}", i)) {
        JsonNode value = args.get(next++);
        out.append(value.isTextual() ? value.asText() : value.toString());
        i++;
      } else {
        out.append(template.charAt(i));
      }
    }
    return TextNode.valueOf(out.toString());
  }

  private static JsonNode argument(String raw, JsonNode input, JsonNode context) {
    if (raw.startsWith("'")) {
      return TextNode.valueOf(raw.substring(1, raw.length() - 1).replace("\\'", "'"));
    }
    if (raw.startsWith("$$")) {
      return Paths.read(context, raw.substring(1));
    }
    if (raw.startsWith("$")) {
      return Paths.read(input, raw);
    }
    if (raw.startsWith("States.")) {
      return evaluate(raw, input, context);
    }
    try {
      return Paths.JSON.readTree(raw);
    } catch (JsonProcessingException e) {
      throw new StatesError("States.Runtime", "unreadable intrinsic argument " + raw);
    }
  }

  /** Splits arguments on top-level commas (not inside quotes or nested calls). */
  private static List<String> split(String args) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    boolean quoted = false;
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < args.length(); i++) {
      char c = args.charAt(i);
      if (c == '\'' && (i == 0 || args.charAt(i - 1) != '\\')) {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')') {
        depth--;
      } else if (!quoted && depth == 0 && c == ',') {
        parts.add(current.toString());
        current.setLength(0);
        continue;
      }
      current.append(c);
    }
    if (!current.toString().isBlank()) {
      parts.add(current.toString());
    }
    return parts;
  }
}
