package io.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Task input from the command line: {@code --set field=value} (dotted paths nest: {@code
 * query.days=3}) and field options ({@code --maxPapers 2}, {@code --language=en}). Each value takes
 * the type the pipeline's input schema gives its field (integer, boolean, array as {@code a,b} or
 * JSON, object as JSON); a value that does not fit, or a field the schema lacks, goes as typed, and
 * the API's strict input check answers with a precise 400.
 */
final class Fields {

  private Fields() {}

  /**
   * {@code field=value} pairs from {@code --set} and from the field options left over by the
   * parser.
   */
  static List<String[]> pairs(List<String> sets, List<String> fieldOptions) {
    List<String[]> pairs = new ArrayList<>();
    for (String set : sets) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--set takes field=value, not '" + set + "'");
      }
      pairs.add(new String[] {set.substring(0, eq), set.substring(eq + 1)});
    }
    for (int i = 0; i < fieldOptions.size(); i++) {
      String option = fieldOptions.get(i);
      if (!option.startsWith("--") || option.length() == 2) {
        throw new IllegalArgumentException(
            "unexpected argument '"
                + option
                + "' (input fields are --field value or --set field=value)");
      }
      String name = option.substring(2);
      int eq = name.indexOf('=');
      if (eq > 0) {
        pairs.add(new String[] {name.substring(0, eq), name.substring(eq + 1)});
      } else if (i + 1 < fieldOptions.size() && !fieldOptions.get(i + 1).startsWith("--")) {
        pairs.add(new String[] {name, fieldOptions.get(++i)});
      } else {
        pairs.add(new String[] {name, "true"});
      }
    }
    return pairs;
  }

  /**
   * The pairs as one JSON object, typed by {@code schema} (a JSON Schema object; may be missing).
   */
  static ObjectNode object(List<String[]> pairs, JsonNode schema) {
    ObjectNode root = Api.JSON.createObjectNode();
    for (String[] pair : pairs) {
      String[] path = pair[0].split("\\.");
      ObjectNode at = root;
      JsonNode fieldSchema = schema;
      for (int i = 0; i < path.length - 1; i++) {
        fieldSchema = fieldSchema.path("properties").path(path[i]);
        JsonNode next = at.get(path[i]);
        at = next instanceof ObjectNode o ? o : at.putObject(path[i]);
      }
      String last = path[path.length - 1];
      at.set(last, value(pair[1], fieldSchema.path("properties").path(last)));
    }
    return root;
  }

  static JsonNode value(String text, JsonNode schema) {
    String type = schema.path("type").asText("");
    switch (type) {
      case "string":
        return Api.JSON.getNodeFactory().textNode(text);
      case "array":
        if (text.strip().startsWith("[")) {
          return literal(text);
        }
        ArrayNode items = Api.JSON.createArrayNode();
        if (!text.isEmpty()) {
          for (String item : text.split(",", -1)) {
            items.add(value(item.strip(), schema.path("items")));
          }
        }
        return items;
      default:
        return literal(text);
    }
  }

  /**
   * A JSON literal when the text is one ({@code 3}, {@code true}, {@code {"a":1}}), else the text
   * as a string.
   */
  private static JsonNode literal(String text) {
    try {
      JsonNode parsed = Api.JSON.readTree(text);
      if (parsed != null && !parsed.isMissingNode()) {
        return parsed;
      }
    } catch (IOException notJson) {
      // plain text
    }
    return Api.JSON.getNodeFactory().textNode(text);
  }
}
