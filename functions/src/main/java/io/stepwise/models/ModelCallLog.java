package io.stepwise.models;

import io.micronaut.core.annotation.Nullable;
import io.stepwise.model.Usage;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One log event per model call (what operators watch) under {@code stepwise.model-calls}: a line a
 * person reads, and as the event's key-value pairs its fields: provider, model, tokens (and whether
 * they were estimated), cost, duration, outcome, finish reason, error, task, step, and the
 * attempt's number and reason (why it was made: {@code first}, or the finish-reason tactic that
 * asked for it). On Lambda the fields are the JSON line's own ({@link
 * io.stepwise.logging.JsonLines}), so CloudWatch Logs Insights queries them.
 */
@Singleton
public class ModelCallLog {

  private static final Logger LOG = LoggerFactory.getLogger("stepwise.model-calls");

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
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("event", "model_call");
    fields.put("provider", call.model().provider().wire());
    fields.put("model", call.model().model());
    fields.put("modelName", call.model().name());
    fields.put("promptTokens", call.result() == null ? 0 : call.result().promptTokens());
    fields.put("completionTokens", call.result() == null ? 0 : call.result().completionTokens());
    fields.put("estimatedTokens", call.result() != null && call.result().estimated());
    fields.put("costUsd", call.usage() == null ? 0 : call.usage().costUsd());
    fields.put("durationMs", call.durationMs());
    fields.put("outcome", call.outcome());
    fields.put("finishReason", call.result() == null ? null : call.result().finishReason());
    fields.put("error", call.error());
    fields.put("attempt", call.attempt().number());
    fields.put("reason", call.attempt().reason());
    fields.put("taskId", call.attempt().taskId());
    fields.put("step", call.attempt().step());
    LoggingEventBuilder line = LOG.atInfo();
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      if (field.getValue() != null) {
        line = line.addKeyValue(field.getKey(), field.getValue());
      }
    }
    line.log(summary(call));
  }

  /** The line a person reads on the local console; the fields are the event's key-value pairs. */
  private static String summary(Call call) {
    StringBuilder line =
        new StringBuilder("model call ")
            .append(call.model().name())
            .append(" (")
            .append(call.model().model())
            .append("): ")
            .append(call.outcome())
            .append(" in ")
            .append(call.durationMs())
            .append(" ms");
    if (call.result() != null) {
      line.append(", ")
          .append(call.result().promptTokens())
          .append(" + ")
          .append(call.result().completionTokens())
          .append(" tokens");
    }
    if (call.usage() != null && call.usage().costUsd() > 0) {
      line.append(String.format(Locale.ROOT, ", $%.6f", call.usage().costUsd()));
    }
    line.append(", attempt ").append(call.attempt().number());
    line.append(" (").append(call.attempt().reason()).append(")");
    if (call.attempt().step() != null) {
      line.append(", ").append(call.attempt().step());
    }
    if (call.attempt().taskId() != null) {
      line.append(" of task ").append(call.attempt().taskId());
    }
    if (call.error() != null) {
      line.append(": ").append(call.error());
    }
    return line.toString();
  }
}
