package io.stepwise.logging;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * What every log line of an invocation says about where it came from: the task, run, pipeline,
 * step, execution and Lambda request, kept in the MDC for the invocation and removed after it, so
 * that {@link JsonLines} prints them as fields. Threads a step starts for its items carry them over
 * ({@link #capture()}).
 */
public final class LogContext implements AutoCloseable {

  private final Map<String, String> previous;

  private LogContext(Map<String, String> fields) {
    this.previous = MDC.getCopyOfContextMap();
    fields.forEach(
        (key, value) -> {
          if (value != null) {
            MDC.put(key, value);
          }
        });
  }

  /** Adds these fields (nulls left out) until {@link #close()} restores what was there before. */
  public static LogContext with(Map<String, String> fields) {
    return new LogContext(fields);
  }

  /** The fields of a step invocation. */
  public static LogContext step(
      String taskId, String runId, String pipeline, String step, String executionArn) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("taskId", taskId);
    fields.put("runId", runId);
    fields.put("pipeline", pipeline);
    fields.put("step", step);
    fields.put("executionArn", executionArn);
    return new LogContext(fields);
  }

  /** This thread's fields, to hand to work another thread does on its behalf. */
  public static Map<String, String> capture() {
    Map<String, String> fields = MDC.getCopyOfContextMap();
    return fields == null ? Map.of() : fields;
  }

  @Override
  public void close() {
    if (previous == null) {
      MDC.clear();
    } else {
      MDC.setContextMap(previous);
    }
  }
}
