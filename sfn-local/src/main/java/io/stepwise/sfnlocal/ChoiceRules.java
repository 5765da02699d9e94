package io.stepwise.sfnlocal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Evaluates a JSONPath Choice rule (every comparison operator and its {@code ...Path} form,
 * IsPresent/IsNull/Is*, And/Or/Not) against a state's input, the context object and the workflow
 * variables. A {@code Variable} or a {@code ...Path} operand that selects nothing fails the state
 * with {@code States.Runtime}, as on AWS, rather than quietly not matching; only {@code IsPresent}
 * asks whether it exists.
 */
final class ChoiceRules {

  private static final Set<String> NOT_COMPARISONS =
      Set.of("Variable", "Next", "Comment", "Assign", "Output");

  private ChoiceRules() {}

  static boolean matches(JsonNode rule, JsonNode input) {
    return matches(rule, input, Paths.JSON.createObjectNode(), null);
  }

  static boolean matches(JsonNode rule, JsonNode input, JsonNode context, JsonNode vars) {
    if (rule.has("And")) {
      for (JsonNode r : rule.get("And")) {
        if (!matches(r, input, context, vars)) {
          return false;
        }
      }
      return true;
    }
    if (rule.has("Or")) {
      for (JsonNode r : rule.get("Or")) {
        if (matches(r, input, context, vars)) {
          return true;
        }
      }
      return false;
    }
    if (rule.has("Not")) {
      return !matches(rule.get("Not"), input, context, vars);
    }
    String variable = rule.path("Variable").asText();
    if (rule.has("IsPresent")) {
      return Paths.presentAnywhere(variable, input, context, vars)
          == rule.get("IsPresent").asBoolean();
    }
    JsonNode value = Paths.resolve(variable, input, context, vars);
    var names = rule.fieldNames();
    while (names.hasNext()) {
      String op = names.next();
      if (NOT_COMPARISONS.contains(op)) {
        continue;
      }
      boolean path = op.endsWith("Path") && !op.startsWith("Is");
      JsonNode expected =
          path ? Paths.resolve(rule.get(op).asText(), input, context, vars) : rule.get(op);
      return compare(path ? op.substring(0, op.length() - 4) : op, value, expected);
    }
    throw new StatesError("States.Runtime", "Choice rule without a comparison: " + rule);
  }

  private static boolean compare(String op, JsonNode value, JsonNode expected) {
    if (op.startsWith("Is")) {
      return is(op, value) == expected.asBoolean();
    }
    if (op.equals("BooleanEquals")) {
      return value.isBoolean() && expected.isBoolean() && value.asBoolean() == expected.asBoolean();
    }
    if (op.equals("StringMatches")) {
      return value.isTextual() && value.asText().matches(glob(expected.asText()));
    }
    Integer order = order(op, value, expected);
    if (order == null) {
      return false; // a value of another type matches no comparison of this kind
    }
    String relation = op.replaceFirst("^(String|Numeric|Timestamp)", "");
    return switch (relation) {
      case "Equals" -> order == 0;
      case "LessThan" -> order < 0;
      case "GreaterThan" -> order > 0;
      case "LessThanEquals" -> order <= 0;
      case "GreaterThanEquals" -> order >= 0;
      default -> throw new StatesError("States.Runtime", "unknown Choice operator " + op);
    };
  }

  /**
   * The comparison of value to expected for a String/Numeric/Timestamp operator; null when value is
   * of another type.
   */
  private static Integer order(String op, JsonNode value, JsonNode expected) {
    if (op.startsWith("String")) {
      return value.isTextual() && expected.isTextual()
          ? Integer.signum(value.asText().compareTo(expected.asText()))
          : null;
    }
    if (op.startsWith("Numeric")) {
      return value.isNumber() && expected.isNumber()
          ? value.decimalValue().compareTo(expected.decimalValue())
          : null;
    }
    if (op.startsWith("Timestamp")) {
      Instant a = timestamp(value);
      Instant b = timestamp(expected);
      return a == null || b == null ? null : a.compareTo(b);
    }
    throw new StatesError("States.Runtime", "unknown Choice operator " + op);
  }

  private static boolean is(String op, JsonNode value) {
    return switch (op) {
      case "IsNull" -> value.isNull();
      case "IsString" -> value.isTextual();
      case "IsNumeric" -> value.isNumber();
      case "IsBoolean" -> value.isBoolean();
      case "IsTimestamp" -> timestamp(value) != null;
      default -> throw new StatesError("States.Runtime", "unknown Choice operator " + op);
    };
  }

  /** An RFC 3339 timestamp (with Z or an offset), or null. */
  static Instant timestamp(JsonNode value) {
    if (value == null || !value.isTextual()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.asText()).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** {@code *} matches any run of characters; {@code \*} and {@code \\} are literal. */
  private static String glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else {
        regex.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
      }
    }
    return regex.toString();
  }
}
