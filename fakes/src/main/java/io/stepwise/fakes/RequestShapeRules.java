package io.stepwise.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The request shapes real model APIs refuse with 400, for the families a {@link ModelServer} model
 * can be made to belong to. The error bodies are the providers' own shapes and wording:
 *
 * <ul>
 *   <li>OpenAI reasoning models (o1, o3, gpt-5): {@code
 *       {"error":{"message","type":"invalid_request_error",
 *       "param","code":"unsupported_parameter"|"unsupported_value"}}} for {@code max_tokens}, a
 *       {@code system} message, {@code temperature} other than 1 and {@code top_p};
 *   <li>current Anthropic models (Claude 4.5 and later): {@code {"type":"error","error":{"type":
 *       "invalid_request_error","message"}}} for {@code temperature} and {@code top_p} together.
 * </ul>
 */
public final class RequestShapeRules {

  /** Which rules a model's requests are held to. */
  public enum Family {
    /** Anything goes (chat models, older Claude). */
    CHAT,
    OPENAI_REASONING,
    ANTHROPIC_CURRENT
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private RequestShapeRules() {}

  /** The 400 body for a request the family refuses, if it refuses it. */
  public static Optional<ObjectNode> refusal(Family family, String protocol, JsonNode body) {
    if (family == Family.OPENAI_REASONING && protocol.equals("openai")) {
      if (body.has("max_tokens")) {
        return Optional.of(
            openAi(
                "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
                "max_tokens",
                "unsupported_parameter"));
      }
      JsonNode messages = body.path("messages");
      for (int i = 0; i < messages.size(); i++) {
        if (messages.get(i).path("role").asText().equals("system")) {
          return Optional.of(
              openAi(
                  "Unsupported value: 'messages["
                      + i
                      + "].role' does not support 'system' with this model.",
                  "messages[" + i + "].role",
                  "unsupported_value"));
        }
      }
      if (body.has("temperature") && body.get("temperature").asDouble() != 1.0) {
        return Optional.of(
            openAi(
                "Unsupported value: 'temperature' does not support "
                    + body.get("temperature").asText()
                    + " with this model. Only the default (1) value is supported.",
                "temperature",
                "unsupported_value"));
      }
      if (body.has("top_p")) {
        return Optional.of(
            openAi(
                "Unsupported parameter: 'top_p' is not supported with this model.",
                "top_p",
                "unsupported_parameter"));
      }
    }
    if (family == Family.ANTHROPIC_CURRENT
        && protocol.equals("anthropic")
        && body.has("temperature")
        && body.has("top_p")) {
      ObjectNode root = JSON.createObjectNode();
      root.put("type", "error");
      root.putObject("error")
          .put("type", "invalid_request_error")
          .put(
              "message",
              "`temperature` and `top_p` cannot both be specified for this model. Please use only one.");
      return Optional.of(root);
    }
    return Optional.empty();
  }

  private static ObjectNode openAi(String message, String param, String code) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("error")
        .put("message", message)
        .put("type", "invalid_request_error")
        .put("param", param)
        .put("code", code);
    return root;
  }
}
