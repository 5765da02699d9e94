package io.stepwise.models;

import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.stepwise.http.KnownSecrets;
import io.stepwise.http.OutboundHttp;
import io.stepwise.http.Redaction;
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
 *
 * <p>This is the boundary for model answers: the answer's text and the error body of a failed call are masked of
 * every configured secret ({@link KnownSecrets}) here, before any caller stores, logs or returns them, so a
 * provider that repeats the key it was sent cannot get it into a checkpoint, an item record or a log line.
 */
@Singleton
public class ModelGateway {

  private final OutboundHttp http;
  private final ApiKeys keys;
  private final KnownSecrets secrets;
  private final ModelCallLog log;
  private final Duration timeout;
  private final Map<Provider, WireProtocol> protocols;

  public ModelGateway(ApiKeys keys, KnownSecrets secrets, ModelCallLog log, JsonMapper json,
      @Value("${stepwise.analyze.timeout:60s}") Duration timeout) {
    this.http = new OutboundHttp(Duration.ofSeconds(10));
    this.keys = keys;
    this.secrets = secrets;
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
      List<String> redact = secrets.all(key.map(List::of).orElse(List.of()));
      byte[] body = http.send(protocol.request(model, key, request, timeout), model.name() + " (" + model.provider().wire() + ")", redact).body();
      result = redacted(protocol.result(body), redact);
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

  /** The decoded answer, so that keys written with JSON escapes are masked too. */
  private static ChatResult redacted(ChatResult result, List<String> redact) {
    return new ChatResult(Redaction.redact(result.content(), redact), Redaction.redact(result.finishReason(), redact),
        result.promptTokens(), result.completionTokens());
  }

  private static long elapsed(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
