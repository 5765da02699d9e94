package io.stepwise.pipelines.digest.analysis;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The JSON object a model must answer with, and the check that it did. */
record PostDraft(String title, String summary, List<String> keyPoints, List<String> tags) {

  private static final Pattern CHARACTER = Pattern.compile("\\X");
  private static final Pattern HAN = Pattern.compile("\\p{IsHan}");

  /** The draft, or why the text is not one (to tell the model in the repair request). */
  static Optional<PostDraft> parse(JsonMapper json, String text, StringBuilder problem) {
    String body = text.strip();
    if (body.startsWith("```")) {
      body = body.replaceFirst("^```(?:json)?\\s*", "").replaceFirst("\\s*```$", "");
    }
    JsonNode node;
    try {
      node = json.readValue(body, JsonNode.class);
    } catch (IOException e) {
      problem.append("the answer is not valid JSON");
      return Optional.empty();
    }
    if (node == null || !node.isObject()) {
      problem.append("the answer is not a JSON object");
      return Optional.empty();
    }
    String title = string(node, "title");
    String summary = string(node, "summary");
    List<String> keyPoints = strings(node, "keyPoints");
    List<String> tags = strings(node, "tags");
    if (title == null
        || summary == null
        || keyPoints == null
        || keyPoints.isEmpty()
        || tags == null) {
      problem.append(
          "it needs non-empty \"title\" and \"summary\" strings and \"keyPoints\" and \"tags\" arrays of strings");
      return Optional.empty();
    }
    return Optional.of(new PostDraft(title, summary, keyPoints, tags));
  }

  /**
   * Why the title does not suit the post, or empty: it has more than {@code max} characters
   * (user-perceived ones, as the platform counts), or the post is Chinese and the title has no
   * Chinese in it (the paper's English title, say). Worth one repair request: a title cut to fit by
   * build_payload reads badly.
   */
  Optional<String> titleProblem(String language, int max) {
    Matcher m = CHARACTER.matcher(title);
    int characters = 0;
    while (m.find()) {
      characters++;
    }
    if (characters > max) {
      return Optional.of(
          "the \"title\" has "
              + characters
              + " characters, at most "
              + max
              + " fit: write a shorter title, do not cut this one");
    }
    if (!"en".equals(language) && !HAN.matcher(title).find()) {
      return Optional.of("the \"title\" must be in Simplified Chinese");
    }
    return Optional.empty();
  }

  private static String string(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isString() && !v.getStringValue().isBlank()
        ? v.getStringValue().strip()
        : null;
  }

  private static List<String> strings(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isArray()) {
      return null;
    }
    List<String> values = new ArrayList<>();
    for (JsonNode item : v.values()) {
      if (!item.isString()) {
        return null;
      }
      if (!item.getStringValue().isBlank()) {
        values.add(item.getStringValue().strip());
      }
    }
    return values;
  }
}
