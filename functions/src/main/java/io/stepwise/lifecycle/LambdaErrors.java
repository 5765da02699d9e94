package io.stepwise.lifecycle;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Reads Step Functions' {@code error}/{@code cause} pair. For a Lambda error the cause is the
 * function's error JSON ({@code errorMessage}, {@code errorType}, {@code stackTrace}); otherwise it
 * is plain text.
 */
@Singleton
public class LambdaErrors {

  private static final int MAX_MESSAGE = 1000;

  private final JsonMapper json;

  public LambdaErrors(JsonMapper json) {
    this.json = json;
  }

  public ExecutionError read(String error, String cause) {
    return new ExecutionError(typeName(error), truncate(message(cause)));
  }

  /** {@code io.stepwise.steps.errors.TransientStepException} → {@code TransientStepException}. */
  static String typeName(String error) {
    if (error == null || error.isBlank()) {
      return "Unknown";
    }
    boolean service = error.startsWith("States.") || error.startsWith("Lambda.");
    return service ? error : error.substring(error.lastIndexOf('.') + 1);
  }

  private String message(String cause) {
    if (cause == null || cause.isBlank()) {
      return "";
    }
    if (cause.trim().startsWith("{")) {
      try {
        JsonNode node = json.readValue(cause, JsonNode.class);
        JsonNode message = node.get("errorMessage");
        if (message != null && message.isString()) {
          return message.getStringValue();
        }
      } catch (IOException notJson) {
        // fall through: show the cause as it is
      }
    }
    return cause;
  }

  private static String truncate(String text) {
    return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "…" : text;
  }
}
