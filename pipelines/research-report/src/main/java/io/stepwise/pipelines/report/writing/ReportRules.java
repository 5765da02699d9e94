package io.stepwise.pipelines.report.writing;

import io.micronaut.json.tree.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a person's edit of write_report's output ({@link ReportDraft}) must respect before deliver
 * may read it: the report's fields, a report with a title and at least one section, and no empty
 * section (a {@code ## } heading with nothing under it). Every broken rule is named.
 */
public final class ReportRules {

  private static final Set<String> FIELDS =
      Set.of("language", "markdown", "chars", "model", "modelReason");

  private ReportRules() {}

  public static List<String> violations(JsonNode output) {
    if (!output.isObject()) {
      return List.of("the output must be an object {\"language\", \"markdown\", ...}");
    }
    List<String> broken = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : output.entries()) {
      if (!FIELDS.contains(e.getKey())) {
        broken.add("the output has an unknown field '" + e.getKey() + "'");
      }
    }
    for (String field : List.of("language", "model", "modelReason")) {
      JsonNode value = output.get(field);
      if (value == null || !value.isString()) {
        broken.add("'" + field + "' must be a string");
      }
    }
    JsonNode chars = output.get("chars");
    if (chars == null || !chars.isNumber() || chars.getNumberValue().intValue() < 0) {
      broken.add("'chars' must be a whole number of characters, 0 or more");
    }
    JsonNode markdown = output.get("markdown");
    if (markdown == null || !markdown.isString() || markdown.getStringValue().isBlank()) {
      broken.add("'markdown' must be the report's text");
      return broken;
    }
    sections(markdown.getStringValue(), broken);
    return broken;
  }

  /** Each {@code ## } heading must have text under it, and there must be one at least. */
  private static void sections(String markdown, List<String> broken) {
    String heading = null;
    StringBuilder under = new StringBuilder();
    int sections = 0;
    for (String line : (markdown + "\n## ").split("\n", -1)) {
      if (line.startsWith("## ") || line.equals("##")) {
        if (heading != null && under.toString().isBlank()) {
          broken.add("section '" + heading + "' is empty");
        }
        if (heading != null) {
          sections++;
        }
        heading = line.substring(2).strip();
        under.setLength(0);
      } else if (heading != null) {
        under.append(line).append('\n');
      }
    }
    if (sections == 0) {
      broken.add("the report has no sections ('## ' headings)");
    }
  }
}
