package io.stepwise.pipelines.digest;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.tasks.InvalidInputException;
import io.stepwise.tasks.PipelineInput;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The paper digest's task input, read strictly: unknown fields, wrong types and out-of-range values are rejected
 * with a message naming the field, so a typo never silently runs a task with defaults. Missing fields take the
 * configured defaults ({@code stepwise.defaults}).
 */
@Singleton
@Named(PaperDigest.NAME)
public class DigestInputParser implements PipelineInput {

  static final int MAX_NOTE = 500;
  private static final Set<String> FIELDS = Set.of("source", "query", "maxPapers", "language", "publish", "note");
  private static final Set<String> QUERY_FIELDS = Set.of("categories", "keywords", "days");
  private static final List<String> SOURCES = List.of("arxiv", "hf_daily");
  private static final List<String> LANGUAGES = List.of("zh", "en");
  private static final List<String> TARGETS = List.of("mcp", "webhook", "none");

  private final JsonMapper json;
  private final DigestDefaults defaults;

  public DigestInputParser(JsonMapper json, DigestDefaults defaults) {
    this.json = json;
    this.defaults = defaults;
  }

  @Override
  public JsonNode parse(JsonNode root, String path) {
    try {
      return json.writeValueToTree(read(root, path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses one task object; {@code path} prefixes field names in messages (e.g. {@code tasks[3].}). */
  DigestInput read(JsonNode root, String path) {
    if (!root.isObject()) {
      throw new InvalidInputException(label(path, "body") + " must be a JSON object");
    }
    rejectUnknown(root, FIELDS, path);
    JsonNode query = objectOrEmpty(root.get("query"), path + "query");
    rejectUnknown(query, QUERY_FIELDS, path + "query.");
    JsonNode publish = objectOrEmpty(root.get("publish"), path + "publish");
    rejectUnknown(publish, Set.of("target"), path + "publish.");
    return new DigestInput(
        oneOf(root.get("source"), path + "source", SOURCES, defaults.source()),
        new DigestInput.Query(
            strings(query.get("categories"), path + "query.categories", 10, 40, defaults.categories()),
            strings(query.get("keywords"), path + "query.keywords", 10, 100, defaults.keywords()),
            integer(query.get("days"), path + "query.days", 1, 30, defaults.days())),
        integer(root.get("maxPapers"), path + "maxPapers", 1, 20, defaults.maxPapers()),
        oneOf(root.get("language"), path + "language", LANGUAGES, defaults.language()),
        new DigestInput.Publish(oneOf(publish.get("target"), path + "publish.target", TARGETS, defaults.publishTarget())),
        note(root.get("note"), path + "note"));
  }

  private static void rejectUnknown(JsonNode object, Set<String> allowed, String path) {
    for (Map.Entry<String, JsonNode> field : object.entries()) {
      if (!allowed.contains(field.getKey())) {
        throw new InvalidInputException(
            "unknown field '" + path + field.getKey() + "'; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
  }

  private static JsonNode objectOrEmpty(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      return JsonNode.createObjectNode(Map.of());
    }
    if (!node.isObject()) {
      throw new InvalidInputException("'" + field + "' must be an object");
    }
    return node;
  }

  private static String oneOf(JsonNode node, String field, List<String> allowed, String fallback) {
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isString() || !allowed.contains(node.getStringValue())) {
      throw new InvalidInputException("'" + field + "' must be one of " + String.join(", ", allowed));
    }
    return node.getStringValue();
  }

  private static int integer(JsonNode node, String field, int min, int max, int fallback) {
    if (node == null || node.isNull()) {
      return fallback;
    }
    Number n = node.isNumber() ? node.getNumberValue() : null;
    boolean whole = n instanceof Integer || n instanceof Long || n instanceof Short;
    if (!whole || n.longValue() < min || n.longValue() > max) {
      throw new InvalidInputException("'" + field + "' must be an integer from " + min + " to " + max);
    }
    return n.intValue();
  }

  private static List<String> strings(JsonNode node, String field, int maxItems, int maxLength, List<String> fallback) {
    if (node == null || node.isNull()) {
      return List.copyOf(fallback);
    }
    if (!node.isArray() || node.size() > maxItems) {
      throw new InvalidInputException("'" + field + "' must be an array of at most " + maxItems + " strings");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode item : node.values()) {
      if (!item.isString() || item.getStringValue().isBlank() || item.getStringValue().length() > maxLength) {
        throw new InvalidInputException(
            "'" + field + "' must hold non-empty strings of at most " + maxLength + " characters");
      }
      values.add(item.getStringValue().strip());
    }
    return List.copyOf(values);
  }

  private static String note(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isString()) {
      throw new InvalidInputException("'" + field + "' must be a string");
    }
    String note = node.getStringValue();
    if (note.codePointCount(0, note.length()) > MAX_NOTE) {
      throw new InvalidInputException("'" + field + "' must be at most " + MAX_NOTE + " characters");
    }
    return note;
  }

  private static String label(String path, String fallback) {
    return path.isEmpty() ? "request " + fallback : "'" + path.substring(0, path.length() - 1) + "'";
  }

  @Override
  public Map<String, Object> schema() {
    Map<String, Object> query = object(Map.of(
        "categories", strings(10, 40, "arXiv categories, e.g. cs.AI"),
        "keywords", strings(10, 100, "words a paper must mention"),
        "days", integer(1, 30, "how many days back")));
    Map<String, Object> publish = object(Map.of("target", oneOf(TARGETS, "where the posts go")));
    return object(Map.of(
        "source", oneOf(SOURCES, "the paper source"),
        "query", query,
        "maxPapers", integer(1, 20, "papers to analyse"),
        "language", oneOf(LANGUAGES, "language of the posts"),
        "publish", publish,
        "note", Map.of("type", "string", "maxLength", MAX_NOTE, "description", "free text shown on the dashboard")));
  }

  private static Map<String, Object> object(Map<String, Object> properties) {
    return Map.of("type", "object", "additionalProperties", false, "properties", new java.util.TreeMap<>(properties));
  }

  private static Map<String, Object> oneOf(List<String> values, String description) {
    return Map.of("type", "string", "enum", values, "description", description);
  }

  private static Map<String, Object> integer(int min, int max, String description) {
    return Map.of("type", "integer", "minimum", min, "maximum", max, "description", description);
  }

  private static Map<String, Object> strings(int maxItems, int maxLength, String description) {
    return Map.of(
        "type", "array", "maxItems", maxItems, "description", description,
        "items", Map.of("type", "string", "minLength", 1, "maxLength", maxLength));
  }

  /** fetch_papers reads the source, query and count; analyze the language; publish the target; nobody the note. */
  @Override
  public Map<String, String> readBy() {
    Map<String, String> readers = new java.util.HashMap<>();
    readers.put("source", PaperDigest.FETCH_PAPERS);
    readers.put("query", PaperDigest.FETCH_PAPERS);
    readers.put("maxPapers", PaperDigest.FETCH_PAPERS);
    readers.put("language", PaperDigest.ANALYZE);
    readers.put("publish", PaperDigest.PUBLISH);
    readers.put("note", null);
    return readers;
  }
}
