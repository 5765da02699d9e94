package io.stepwise.fakes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A careless provider's answer repeating the key it was sent ({@link ModelBehaviour#echoKey()}),
 * whatever the answer is: in a JSON object (fenced or not) the longest string gets the key appended
 * verbatim and inside longer tokens, the first array of strings gets a "Bearer" line and the last
 * one the key with its dashes as JSON {@code \}{@code u002d} escapes (which decode to the key
 * itself); any other text gets the same sentences appended.
 */
final class KeyEcho {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ESCAPED = "ESCAPED_KEY_PLACEHOLDER";

  private KeyEcho() {}

  static String into(String answer, String key) {
    String sentence = " Answered for key " + key + " (" + key + "), token=" + key + ";";
    String bearer = "Authenticated as Bearer " + key;
    String body = answer.strip();
    boolean fenced = body.startsWith("```");
    if (fenced) {
      body = body.replaceFirst("^```(?:json)?\\s*", "").replaceFirst("\\s*```$", "");
    }
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JsonProcessingException notJson) {
      node = null;
    }
    if (!(node instanceof ObjectNode object)) {
      return answer + "\n\n" + sentence.strip() + " " + bearer;
    }
    String longest = null;
    List<ArrayNode> stringArrays = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      JsonNode value = field.getValue();
      if (value.isTextual()
          && (longest == null
              || value.asText().length() > object.path(longest).asText().length())) {
        longest = field.getKey();
      } else if (value.isArray() && !value.isEmpty() && value.get(0).isTextual()) {
        stringArrays.add((ArrayNode) value);
      }
    }
    if (longest != null) {
      object.put(longest, object.path(longest).asText() + sentence);
    }
    if (!stringArrays.isEmpty()) {
      stringArrays.get(0).add(bearer);
      stringArrays.get(stringArrays.size() - 1).add(ESCAPED);
    }
    try {
      String json =
          JSON.writerWithDefaultPrettyPrinter()
              .writeValueAsString(object)
              .replace(ESCAPED, key.replace("-", "\\u002d"));
      return fenced ? "```json\n" + json + "\n```" : json;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
