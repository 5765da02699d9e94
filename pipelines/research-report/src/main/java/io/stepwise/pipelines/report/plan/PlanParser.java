package io.stepwise.pipelines.report.plan;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the plan a model answered: the JSON object, also when wrapped in a code fence or in a
 * sentence (the object between the first '{' and the last '}'), with a title and at least {@code
 * wanted} usable sections (more are cut to {@code wanted}). What is wrong is told back, for the one
 * repair request.
 */
final class PlanParser {

  static final int MAX_KEYWORDS = 4;
  static final int MAX_KEYWORD = 100;

  private PlanParser() {}

  /** The title and sections, or empty with {@code problem} saying why. */
  static Optional<Draft> parse(JsonMapper json, String text, int wanted, StringBuilder problem) {
    Optional<JsonNode> found = object(json, text);
    if (found.isEmpty()) {
      problem.append("the answer is not a JSON object");
      return Optional.empty();
    }
    JsonNode node = found.get();
    String title = string(node.get("title"));
    JsonNode list = node.get("sections");
    if (title == null || list == null || !list.isArray()) {
      problem.append("it needs a non-empty \"title\" string and a \"sections\" array");
      return Optional.empty();
    }
    List<Plan.Section> sections = new ArrayList<>();
    for (JsonNode item : list.values()) {
      Plan.Section section = section(item);
      if (section == null) {
        problem
            .append("every section needs non-empty \"heading\" and \"question\" strings and 1 to ")
            .append(MAX_KEYWORDS)
            .append(" \"keywords\"");
        return Optional.empty();
      }
      if (sections.size() < wanted) {
        sections.add(section);
      }
    }
    if (sections.size() < wanted) {
      problem
          .append("it has ")
          .append(sections.size())
          .append(" sections, ")
          .append(wanted)
          .append(" are needed");
      return Optional.empty();
    }
    return Optional.of(new Draft(title, sections));
  }

  /** A parsed plan before it is stamped with its model. */
  record Draft(String title, List<Plan.Section> sections) {}

  private static Optional<JsonNode> object(JsonMapper json, String text) {
    String body = text.strip();
    if (body.startsWith("```")) {
      body = body.replaceFirst("^```(?:json)?\\s*", "").replaceFirst("\\s*```$", "");
    }
    Optional<JsonNode> whole = read(json, body);
    if (whole.isPresent()) {
      return whole;
    }
    int open = body.indexOf('{');
    int close = body.lastIndexOf('}');
    return open >= 0 && close > open
        ? read(json, body.substring(open, close + 1))
        : Optional.empty();
  }

  private static Optional<JsonNode> read(JsonMapper json, String body) {
    try {
      JsonNode node = json.readValue(body, JsonNode.class);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Plan.Section section(JsonNode item) {
    if (item == null || !item.isObject()) {
      return null;
    }
    String heading = string(item.get("heading"));
    String question = string(item.get("question"));
    JsonNode words = item.get("keywords");
    if (heading == null || question == null || words == null || !words.isArray()) {
      return null;
    }
    List<String> keywords = new ArrayList<>();
    for (JsonNode word : words.values()) {
      String k = string(word);
      if (k != null && k.length() <= MAX_KEYWORD && keywords.size() < MAX_KEYWORDS) {
        keywords.add(k);
      }
    }
    return keywords.isEmpty() ? null : new Plan.Section(heading, question, keywords);
  }

  private static String string(JsonNode v) {
    return v != null && v.isString() && !v.getStringValue().isBlank()
        ? v.getStringValue().strip()
        : null;
  }
}
