package io.stepwise.models;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.stepwise.model.Usage;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured JSON line per model call (what operators watch): provider, model, tokens (and
 * whether they were estimated), cost, duration, outcome, error, task, step, and the attempt's
 * number and reason (why it was made: {@code first}, or the finish-reason tactic that asked for
 * it). Logged under {@code stepwise.model-calls}; CloudWatch Logs Insights can query the fields.
 */
@Singleton
public class ModelCallLog {

  private static final Logger LOG = LoggerFactory.getLogger("stepwise.model-calls");

  private final JsonMapper json;

  public ModelCallLog(JsonMapper json) {
    this.json = json;
  }

  /**
   * What one call did, and which attempt (with its reason) it was. {@code error} is already free of
   * secrets.
   */
  public record Call(
      ChatCall.Attempt attempt,
      ModelSpec model,
      long durationMs,
      @Nullable ChatResult result,
      String outcome,
      @Nullable String error,
      @Nullable Usage usage) {}

  public void record(Call call) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("event", "model_call");
    line.put("provider", call.model().provider().wire());
    line.put("model", call.model().model());
    line.put("modelName", call.model().name());
    line.put("promptTokens", call.result() == null ? 0 : call.result().promptTokens());
    line.put("completionTokens", call.result() == null ? 0 : call.result().completionTokens());
    line.put("estimatedTokens", call.result() != null && call.result().estimated());
    line.put("costUsd", call.usage() == null ? 0 : call.usage().costUsd());
    line.put("durationMs", call.durationMs());
    line.put("outcome", call.outcome());
    line.put("finishReason", call.result() == null ? null : call.result().finishReason());
    line.put("error", call.error());
    line.put("attempt", call.attempt().number());
    line.put("reason", call.attempt().reason());
    line.put("taskId", call.attempt().taskId());
    line.put("step", call.attempt().step());
    try {
      LOG.info(json.writeValueAsString(line));
    } catch (IOException e) {
      LOG.warn("model call log line not written: {}", e.getMessage());
    }
  }
}
