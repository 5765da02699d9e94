package io.stepwise.models;

import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.stepwise.http.OutboundHttp;
import io.stepwise.steps.errors.ModelOutputIncompleteException;
import io.stepwise.steps.errors.StepException;
import io.stepwise.steps.errors.TerminalStepException;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends one chat request to one model over its provider's protocol and logs the call. HTTP failures follow
 * {@link OutboundHttp}; what the finish reason means is {@link #requireComplete}'s business.
 */
@Singleton
public class ModelGateway {

  private final OutboundHttp http;
  private final ApiKeys keys;
  private final ModelCallLog log;
  private final Duration timeout;
  private final Map<Provider, WireProtocol> protocols;

  public ModelGateway(ApiKeys keys, ModelCallLog log, JsonMapper json, @Value("${stepwise.analyze.timeout:60s}") Duration timeout) {
    this.http = new OutboundHttp(Duration.ofSeconds(10));
    this.keys = keys;
    this.log = log;
    this.timeout = timeout;
    this.protocols = Map.of(Provider.OPENAI_COMPATIBLE, new OpenAiProtocol(json), Provider.ANTHROPIC, new AnthropicProtocol(json));
  }

  public ChatResult chat(ModelSpec model, ChatRequest request, String taskId, String step) {
    WireProtocol protocol = protocols.get(model.provider());
    long started = System.nanoTime();
    ChatResult result = null;
    try {
      // Inside the try: a key that cannot be read (Secrets Manager) is a failed call of this model, logged as one.
      Optional<String> key = keys.keyFor(model);
      List<String> secrets = key.map(List::of).orElse(List.of());
      byte[] body = http.send(protocol.request(model, key, request, timeout), model.name() + " (" + model.provider().wire() + ")", secrets).body();
      result = protocol.result(body);
      String outcome = "stop".equals(result.finishReason()) ? "ok" : "finish_" + result.finishReason();
      log.record(new ModelCallLog.Call(taskId, step, model, elapsed(started), result, outcome, null));
      return result;
    } catch (StepException e) {
      log.record(new ModelCallLog.Call(taskId, step, model, elapsed(started), result, e.type(), e.getMessage()));
      throw e;
    }
  }

  /**
   * Seed 004's rules: {@code stop} is complete; {@code content_filter} is terminal (the content, not the model,
   * is the problem); {@code length}, unknown or missing reasons are incomplete output, retried quickly.
   */
  public static void requireComplete(ModelSpec model, ChatResult result) {
    String reason = result.finishReason();
    if ("stop".equals(reason)) {
      return;
    }
    if ("content_filter".equals(reason)) {
      throw new TerminalStepException(model.name() + " refused the content (finish_reason content_filter)");
    }
    throw new ModelOutputIncompleteException(
        model.name() + " stopped abnormally (finish_reason " + (reason == null ? "missing" : reason) + ")",
        reason == null ? "missing" : reason);
  }

  private static long elapsed(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
