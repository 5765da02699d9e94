package io.stepwise.models;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.steps.errors.TransientStepException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI chat completions ({@code POST {baseUrl}/chat/completions}), as the compatible providers
 * speak it.
 */
final class OpenAiProtocol implements WireProtocol {

  private final JsonMapper json;

  OpenAiProtocol(JsonMapper json) {
    this.json = json;
  }

  @Override
  public HttpRequest request(
      ModelSpec model, Optional<String> apiKey, ChatRequest chat, Duration timeout) {
    RequestOptions shape = model.request();
    List<Map<String, String>> messages = new ArrayList<>();
    if (shape.systemRole() != RequestOptions.SystemRole.NONE) {
      messages.add(
          Map.of(
              "role",
              shape.systemRole() == RequestOptions.SystemRole.DEVELOPER ? "developer" : "system",
              "content",
              chat.system()));
    }
    RequestShapes.folded(chat, shape)
        .forEach(m -> messages.add(Map.of("role", m.role(), "content", m.content())));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", model.model());
    body.put("messages", messages);
    RequestShapes.limits(body, chat, shape);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(model.baseUrl() + "/chat/completions"))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(write(body)));
    apiKey.ifPresent(k -> b.header("Authorization", "Bearer " + k));
    return b.build();
  }

  @Override
  public ChatResult result(byte[] body) {
    JsonNode root = read(body);
    JsonNode choices = root.get("choices");
    if (choices == null || !choices.isArray() || choices.size() == 0) {
      throw new TransientStepException("chat completion answer has no choices");
    }
    JsonNode choice = choices.get(0);
    JsonNode message = choice.get("message");
    JsonNode content = message == null ? null : message.get("content");
    JsonNode finish = choice.get("finish_reason");
    JsonNode usage = root.get("usage");
    return new ChatResult(
        content == null || content.isNull() ? "" : content.coerceStringValue(),
        finish == null || finish.isNull() ? null : finish.coerceStringValue(),
        usage == null ? 0 : intValue(usage, "prompt_tokens"),
        usage == null ? 0 : intValue(usage, "completion_tokens"));
  }

  private static int intValue(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isNumber() ? v.getIntValue() : 0;
  }

  private JsonNode read(byte[] body) {
    try {
      return json.readValue(body, JsonNode.class);
    } catch (IOException e) {
      throw new TransientStepException("chat completion answer is not JSON", e);
    }
  }

  private byte[] write(Object body) {
    try {
      return json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
