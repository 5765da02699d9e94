package io.stepwise.kit.inputs;

import io.micronaut.json.tree.JsonNode;
import io.stepwise.tasks.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Strict reading of a pipeline's task input, shared by every pipeline's parser: each check names
 * the field (with its path prefix, e.g. {@code tasks[3].}) so a typo never silently runs a task
 * with defaults; an absent or null field takes the given default. The schema helpers describe the
 * same limits for {@code GET /api/pipelines}.
 */
public final class InputFields {

  private InputFields() {}

  public static void requireObject(JsonNode root, String path) {
    if (!root.isObject()) {
      String label =
          path.isEmpty() ? "request body" : "'" + path.substring(0, path.length() - 1) + "'";
      throw new InvalidInputException(label + " must be a JSON object");
    }
  }

  public static void rejectUnknown(JsonNode object, Set<String> allowed, String path) {
    for (Map.Entry<String, JsonNode> field : object.entries()) {
      if (!allowed.contains(field.getKey())) {
        throw new InvalidInputException(
            "unknown field '"
                + path
                + field.getKey()
                + "'; allowed: "
                + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
  }

  public static JsonNode objectOrEmpty(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      return JsonNode.createObjectNode(Map.of());
    }
    if (!node.isObject()) {
      throw new InvalidInputException("'" + field + "' must be an object");
    }
    return node;
  }

  public static String oneOf(JsonNode node, String field, List<String> allowed, String fallback) {
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isString() || !allowed.contains(node.getStringValue())) {
      throw new InvalidInputException(
          "'" + field + "' must be one of " + String.join(", ", allowed));
    }
    return node.getStringValue();
  }

  public static int integer(JsonNode node, String field, int min, int max, int fallback) {
    if (node == null || node.isNull()) {
      return fallback;
    }
    Number n = node.isNumber() ? node.getNumberValue() : null;
    boolean whole = n instanceof Integer || n instanceof Long || n instanceof Short;
    if (!whole || n.longValue() < min || n.longValue() > max) {
      throw new InvalidInputException(
          "'" + field + "' must be an integer from " + min + " to " + max);
    }
    return n.intValue();
  }

  public static List<String> strings(
      JsonNode node, String field, int maxItems, int maxLength, List<String> fallback) {
    if (node == null || node.isNull()) {
      return List.copyOf(fallback);
    }
    if (!node.isArray() || node.size() > maxItems) {
      throw new InvalidInputException(
          "'" + field + "' must be an array of at most " + maxItems + " strings");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode item : node.values()) {
      if (!item.isString()
          || item.getStringValue().isBlank()
          || item.getStringValue().length() > maxLength) {
        throw new InvalidInputException(
            "'" + field + "' must hold non-empty strings of at most " + maxLength + " characters");
      }
      values.add(item.getStringValue().strip());
    }
    return List.copyOf(values);
  }

  /**
   * A free-text field of {@code min} to {@code max} characters (code points, after stripping); null
   * when absent and {@code min} is 0, else absent is an error.
   */
  public static String text(JsonNode node, String field, int min, int max) {
    if (node == null || node.isNull()) {
      if (min > 0) {
        throw new InvalidInputException("'" + field + "' is required");
      }
      return null;
    }
    if (!node.isString()) {
      throw new InvalidInputException("'" + field + "' must be a string");
    }
    String value = min > 0 ? node.getStringValue().strip() : node.getStringValue();
    int length = value.codePointCount(0, value.length());
    if (length < min || length > max) {
      throw new InvalidInputException(
          min > 0
              ? "'" + field + "' must be from " + min + " to " + max + " characters"
              : "'" + field + "' must be at most " + max + " characters");
    }
    return value;
  }

  public static Map<String, Object> objectSchema(Map<String, Object> properties) {
    return Map.of(
        "type", "object", "additionalProperties", false, "properties", new TreeMap<>(properties));
  }

  public static Map<String, Object> oneOfSchema(List<String> values, String description) {
    return Map.of("type", "string", "enum", values, "description", description);
  }

  public static Map<String, Object> integerSchema(int min, int max, String description) {
    return Map.of("type", "integer", "minimum", min, "maximum", max, "description", description);
  }

  public static Map<String, Object> stringsSchema(int maxItems, int maxLength, String description) {
    return Map.of(
        "type",
        "array",
        "maxItems",
        maxItems,
        "description",
        description,
        "items",
        Map.of("type", "string", "minLength", 1, "maxLength", maxLength));
  }
}
