package io.stepwise.models;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The health check's requests, in each provider's protocol: the free model listing ({@code GET
 * {baseUrl}/models}, OpenAI and Anthropic alike) or one chat request capped at one output token.
 * Anthropic's extended thinking is off unless asked for, and is never asked for here;
 * OpenAI-compatible reasoning models spend at most the cap.
 */
@Singleton
public class ProbeRequests {

  private static final ChatRequest PING =
      new ChatRequest(
          "Answer with one word.", List.of(new ChatRequest.Message("user", "ping")), 1, 0);

  private final Map<Provider, WireProtocol> protocols;

  public ProbeRequests(JsonMapper json) {
    this.protocols =
        Map.of(
            Provider.OPENAI_COMPATIBLE,
            new OpenAiProtocol(json),
            Provider.ANTHROPIC,
            new AnthropicProtocol(json));
  }

  public HttpRequest request(ModelSpec model, Optional<String> apiKey, Duration timeout) {
    if (model.probe() == ProbeKind.COMPLETION) {
      return protocols.get(model.provider()).request(model, apiKey, PING, timeout);
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(model.baseUrl() + "/models")).timeout(timeout).GET();
    if (model.provider() == Provider.ANTHROPIC) {
      b.header("anthropic-version", AnthropicProtocol.VERSION);
      apiKey.ifPresent(k -> b.header("x-api-key", k));
    } else {
      apiKey.ifPresent(k -> b.header("Authorization", "Bearer " + k));
    }
    return b.build();
  }
}
