package io.stepwise.models;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.steps.errors.TransientStepException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Anthropic messages ({@code POST {baseUrl}/messages}, {@code anthropic-version: 2023-06-01}). Stop
 * reasons map to the OpenAI vocabulary: end_turn/stop_sequence → stop, max_tokens → length, refusal
 * → content_filter.
 */
final class AnthropicProtocol implements WireProtocol {

  static final String VERSION = "2023-06-01";

  private final JsonMapper json;

  AnthropicProtocol(JsonMapper json) {
    this.json = json;
  }

  @Override
  public HttpRequest request(
      ModelSpec model, Optional<String> apiKey, ChatRequest chat, Duration timeout) {
    RequestOptions shape = model.request();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", model.model());
    if (shape.systemRole() == RequestOptions.SystemRole.SYSTEM) {
      body.put("system", chat.system());
    }
    body.put(
        "messages",
        RequestShapes.folded(chat, shape).stream()
            .map(m -> Map.of("role", m.role(), "content", m.content()))
            .toList());
    RequestShapes.limits(body, chat, shape);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(model.baseUrl() + "/messages"))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("anthropic-version", VERSION)
            .POST(HttpRequest.BodyPublishers.ofByteArray(write(body)));
    apiKey.ifPresent(k -> b.header("x-api-key", k));
    return b.build();
  }

  @Override
  public ChatResult result(byte[] body) {
    JsonNode root;
    try {
      root = json.readValue(body, JsonNode.class);
    } catch (IOException e) {
      throw new TransientStepException("messages answer is not JSON", e);
    }
    StringBuilder text = new StringBuilder();
    JsonNode content = root.get("content");
    if (content != null && content.isArray()) {
      for (JsonNode block : content.values()) {
        JsonNode type = block.get("type");
        if (type != null && "text".equals(type.coerceStringValue()) && block.get("text") != null) {
          text.append(block.get("text").coerceStringValue());
        }
      }
    }
    JsonNode usage = root.get("usage");
    return new ChatResult(
        text.toString(),
        finishReason(root.get("stop_reason")),
        usage == null || usage.get("input_tokens") == null
            ? 0
            : usage.get("input_tokens").getIntValue(),
        usage == null || usage.get("output_tokens") == null
            ? 0
            : usage.get("output_tokens").getIntValue());
  }

  private static String finishReason(JsonNode stop) {
    if (stop == null || stop.isNull()) {
      return null;
    }
    return switch (stop.coerceStringValue()) {
      case "end_turn", "stop_sequence" -> "stop";
      case "max_tokens" -> "length";
      case "refusal" -> "content_filter";
      default -> stop.coerceStringValue();
    };
  }

  private byte[] write(Object body) {
    try {
      return json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
