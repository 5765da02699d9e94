package io.stepwise.pipelines.digest.payload;

import io.micronaut.json.tree.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a person's edit of build_payload's output must respect before publish may read it: the shape
 * of {@link Payloads} and the platform's limits ({@link PlatformRules}), counted in user-perceived
 * characters as build_payload counts them. Every broken rule is named, one sentence each, so the
 * editor can fix them all at once.
 */
public final class PayloadRules {

  private static final Set<String> PAYLOADS_FIELDS = Set.of("platform", "posts");
  private static final Set<String> POST_FIELDS =
      Set.of("postKey", "title", "body", "images", "tags");

  private final PlatformRules rules;

  public PayloadRules(PlatformRules rules) {
    this.rules = rules;
  }

  public List<String> violations(JsonNode output) {
    List<String> broken = new ArrayList<>();
    if (!output.isObject()) {
      return List.of("the output must be an object {\"platform\": ..., \"posts\": [...]}");
    }
    unknown(output, PAYLOADS_FIELDS, "the output", broken);
    JsonNode platform = output.get("platform");
    if (platform == null
        || !platform.isString()
        || !platform.getStringValue().equals(rules.platform())) {
      broken.add("'platform' must be \"" + rules.platform() + "\"");
    }
    JsonNode posts = output.get("posts");
    if (posts == null || !posts.isArray() || posts.size() == 0) {
      broken.add("'posts' must be a list of at least one post");
      return broken;
    }
    for (int i = 0; i < posts.size(); i++) {
      post(posts.get(i), "posts[" + i + "]", broken);
    }
    return broken;
  }

  private void post(JsonNode post, String at, List<String> broken) {
    if (!post.isObject()) {
      broken.add(at + " must be an object with postKey, title, body, images and tags");
      return;
    }
    unknown(post, POST_FIELDS, at, broken);
    String key = text(post, "postKey", at, broken);
    if (key != null && key.isBlank()) {
      broken.add(at + ".postKey must not be empty");
    }
    String title = text(post, "title", at, broken);
    if (title != null) {
      int n = Graphemes.count(title.strip());
      if (n == 0) {
        broken.add(at + ".title must not be empty");
      } else if (n > rules.titleMax()) {
        broken.add(
            at
                + ".title has "
                + n
                + " characters; "
                + rules.platform()
                + " allows "
                + rules.titleMax());
      }
    }
    String body = text(post, "body", at, broken);
    if (body != null) {
      int n = Graphemes.count(body);
      if (body.isBlank()) {
        broken.add(at + ".body must not be empty");
      } else if (n > rules.bodyMax()) {
        broken.add(
            at
                + ".body has "
                + n
                + " characters; "
                + rules.platform()
                + " allows "
                + rules.bodyMax());
      }
    }
    List<String> images = strings(post, "images", at, broken);
    if (images != null
        && (images.size() < rules.imagesMin() || images.size() > rules.imagesMax())) {
      broken.add(
          at
              + ".images has "
              + images.size()
              + "; "
              + rules.platform()
              + " needs "
              + rules.imagesMin()
              + " to "
              + rules.imagesMax());
    }
    List<String> tags = strings(post, "tags", at, broken);
    if (tags != null) {
      if (tags.size() > rules.tagsMax()) {
        broken.add(
            at
                + ".tags has "
                + tags.size()
                + "; "
                + rules.platform()
                + " allows "
                + rules.tagsMax());
      }
      if (tags.stream().anyMatch(String::isBlank)) {
        broken.add(at + ".tags must not contain an empty tag");
      }
    }
  }

  private static void unknown(JsonNode node, Set<String> known, String at, List<String> broken) {
    for (Map.Entry<String, JsonNode> e : node.entries()) {
      if (!known.contains(e.getKey())) {
        broken.add(at + " has an unknown field '" + e.getKey() + "'");
      }
    }
  }

  private static String text(JsonNode node, String field, String at, List<String> broken) {
    JsonNode value = node.get(field);
    if (value == null || !value.isString()) {
      broken.add(at + "." + field + " must be a string");
      return null;
    }
    return value.getStringValue();
  }

  private static List<String> strings(JsonNode node, String field, String at, List<String> broken) {
    JsonNode value = node.get(field);
    if (value == null || !value.isArray()) {
      broken.add(at + "." + field + " must be a list of strings");
      return null;
    }
    List<String> list = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      if (!item.isString()) {
        broken.add(at + "." + field + "[" + i + "] must be a string");
        return null;
      }
      list.add(item.getStringValue());
    }
    return list;
  }
}
