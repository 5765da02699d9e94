package io.stepwise.sfnlocal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** Evaluates a Choice rule (comparison operators, IsPresent/IsNull/Is*, And/Or/Not) against a state's input. */
final class ChoiceRules {

  private ChoiceRules() {}

  static boolean matches(JsonNode rule, JsonNode input) {
    if (rule.has("And")) {
      for (JsonNode r : rule.get("And")) {
        if (!matches(r, input)) {
          return false;
        }
      }
      return true;
    }
    if (rule.has("Or")) {
      for (JsonNode r : rule.get("Or")) {
        if (matches(r, input)) {
          return true;
        }
      }
      return false;
    }
    if (rule.has("Not")) {
      return !matches(rule.get("Not"), input);
    }
    String variable = rule.path("Variable").asText();
    if (rule.has("IsPresent")) {
      return Paths.present(input, variable) == rule.get("IsPresent").asBoolean();
    }
    if (!Paths.present(input, variable)) {
      return false;
    }
    JsonNode value = Paths.read(input, variable);
    var names = rule.fieldNames();
    while (names.hasNext()) {
      String op = names.next();
      if (op.equals("Variable") || op.equals("Next")) {
        continue;
      }
      JsonNode expected = op.endsWith("Path") ? Paths.read(input, rule.get(op).asText()) : rule.get(op);
      String base = op.endsWith("Path") ? op.substring(0, op.length() - 4) : op;
      return compare(base, value, expected);
    }
    throw new StatesError("States.Runtime", "Choice rule without a comparison: " + rule);
  }

  private static boolean compare(String op, JsonNode value, JsonNode expected) {
    return switch (op) {
      case "IsNull" -> value.isNull() == expected.asBoolean();
      case "IsString" -> value.isTextual() == expected.asBoolean();
      case "IsNumeric" -> value.isNumber() == expected.asBoolean();
      case "IsBoolean" -> value.isBoolean() == expected.asBoolean();
      case "IsTimestamp" -> isTimestamp(value) == expected.asBoolean();
      case "BooleanEquals" -> value.isBoolean() && value.asBoolean() == expected.asBoolean();
      case "StringEquals" -> value.isTextual() && value.asText().equals(expected.asText());
      case "StringLessThan" -> value.isTextual() && value.asText().compareTo(expected.asText()) < 0;
      case "StringGreaterThan" -> value.isTextual() && value.asText().compareTo(expected.asText()) > 0;
      case "StringLessThanEquals" -> value.isTextual() && value.asText().compareTo(expected.asText()) <= 0;
      case "StringGreaterThanEquals" -> value.isTextual() && value.asText().compareTo(expected.asText()) >= 0;
      case "StringMatches" -> value.isTextual() && value.asText().matches(glob(expected.asText()));
      case "NumericEquals" -> value.isNumber() && value.decimalValue().compareTo(expected.decimalValue()) == 0;
      case "NumericLessThan" -> value.isNumber() && value.decimalValue().compareTo(expected.decimalValue()) < 0;
      case "NumericGreaterThan" -> value.isNumber() && value.decimalValue().compareTo(expected.decimalValue()) > 0;
      case "NumericLessThanEquals" -> value.isNumber() && value.decimalValue().compareTo(expected.decimalValue()) <= 0;
      case "NumericGreaterThanEquals" -> value.isNumber() && value.decimalValue().compareTo(expected.decimalValue()) >= 0;
      case "TimestampEquals" -> isTimestamp(value) && Instant.parse(value.asText()).equals(Instant.parse(expected.asText()));
      case "TimestampLessThan" -> isTimestamp(value) && Instant.parse(value.asText()).isBefore(Instant.parse(expected.asText()));
      case "TimestampGreaterThan" -> isTimestamp(value) && Instant.parse(value.asText()).isAfter(Instant.parse(expected.asText()));
      default -> throw new StatesError("States.Runtime", "unsupported Choice operator " + op);
    };
  }

  private static boolean isTimestamp(JsonNode value) {
    if (!value.isTextual()) {
      return false;
    }
    try {
      Instant.parse(value.asText());
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      regex.append(c == '*' ? ".*" : java.util.regex.Pattern.quote(String.valueOf(c)));
    }
    return regex.toString();
  }
}
