package io.stepwise.sfnlocal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * ListTagsForResource, TagResource and UntagResource over the state machines' tags (kept in memory:
 * a restart forgets them). A resource ARN that is not a state machine or activity ARN is {@code
 * InvalidArn}; one of nothing that exists is {@code ResourceNotFound}.
 */
final class Tags {

  private final Map<String, Map<String, String>> byArn = new LinkedHashMap<>();
  private final Predicate<String> exists;

  Tags(Predicate<String> exists) {
    this.exists = exists;
  }

  Object list(JsonNode r) {
    String arn = taggable(r.path("resourceArn").asText());
    ObjectNode out = Paths.JSON.createObjectNode();
    ArrayNode list = out.putArray("tags");
    byArn
        .getOrDefault(arn, Map.of())
        .forEach((k, v) -> list.addObject().put("key", k).put("value", v));
    return out;
  }

  Object tag(JsonNode r) {
    put(taggable(r.path("resourceArn").asText()), r.path("tags"));
    return Paths.JSON.createObjectNode();
  }

  Object untag(JsonNode r) {
    String arn = taggable(r.path("resourceArn").asText());
    Map<String, String> tags = byArn.get(arn);
    if (tags != null) {
      r.path("tagKeys").forEach(k -> tags.remove(k.asText()));
    }
    return Paths.JSON.createObjectNode();
  }

  /** Tags given at creation (a {@code [{key, value}]} array; anything else adds none). */
  void put(String arn, JsonNode list) {
    if (list != null && list.isArray()) {
      Map<String, String> tags = byArn.computeIfAbsent(arn, k -> new LinkedHashMap<>());
      list.forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
    }
  }

  void remove(String arn) {
    byArn.remove(arn);
  }

  private String taggable(String arn) {
    if (!arn.matches("arn:aws:states:[a-z0-9-]+:\\d{12}:(stateMachine|activity):[^:]+")) {
      throw new StepFunctionsEmulator.AwsError(
          "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: " + arn + "'");
    }
    if (!exists.test(arn)) {
      throw new StepFunctionsEmulator.AwsError(
          "ResourceNotFound", "Resource not found: '" + arn + "'");
    }
    return arn;
  }
}
