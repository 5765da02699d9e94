package io.stepwise.pipelines.digest.payload;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;

/** An edited build_payload output is held to RedNote's limits, every broken rule named. */
class PayloadRulesTest {

  private static final JsonMapper JSON = JsonMapper.createDefault();
  private final PayloadRules rules = new PayloadRules(PlatformRules.REDNOTE);

  private static JsonNode json(String text) throws Exception {
    return JSON.readValue(text, JsonNode.class);
  }

  private static String post(String title, String body, String images, String tags) {
    return "{\"postKey\":\"p1\",\"title\":\"%s\",\"body\":\"%s\",\"images\":%s,\"tags\":%s}"
        .formatted(title, body, images, tags);
  }

  @Test
  void aPostWithinTheLimits_passes_countingCharactersAsPeopleSeeThem() throws Exception {
    String title = "👨‍👩‍👧".repeat(20); // 20 user-perceived characters, many more chars
    assertThat(
            rules.violations(
                json(
                    "{\"platform\":\"rednote\",\"posts\":["
                        + post(title, "body", "[\"https://x/1.png\"]", "[\"ai\"]")
                        + "]}")))
        .isEmpty();
  }

  @Test
  void everyBrokenRule_isNamed() throws Exception {
    String many = "[" + "\"t\",".repeat(10) + "\"t\"]";
    assertThat(
            rules.violations(
                json(
                    "{\"platform\":\"x\",\"extra\":1,\"posts\":["
                        + post("x".repeat(21), "y".repeat(1001), "[]", many)
                        + ","
                        + post(" ", "", "[1]", "[\"\"]")
                        + "]}")))
        .containsExactlyInAnyOrder(
            "the output has an unknown field 'extra'",
            "'platform' must be \"rednote\"",
            "posts[0].title has 21 characters; rednote allows 20",
            "posts[0].body has 1001 characters; rednote allows 1000",
            "posts[0].images has 0; rednote needs 1 to 9",
            "posts[0].tags has 11; rednote allows 10",
            "posts[1].title must not be empty",
            "posts[1].body must not be empty",
            "posts[1].images[0] must be a string",
            "posts[1].tags must not contain an empty tag");
    assertThat(rules.violations(json("{\"platform\":\"rednote\",\"posts\":[]}")))
        .containsExactly("'posts' must be a list of at least one post");
    assertThat(rules.violations(json("[]"))).hasSize(1);
  }
}
