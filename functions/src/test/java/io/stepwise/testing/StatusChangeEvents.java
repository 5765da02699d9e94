package io.stepwise.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * "Step Functions Execution Status Change" events as EventBridge delivers them, from the fixture
 * {@code events/execution-status-change.json} with its placeholders filled in.
 */
public final class StatusChangeEvents {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TEMPLATE = read("/events/execution-status-change.json");

  private StatusChangeEvents() {}

  /**
   * Run {@code run} of the task (execution {@code <taskId>--r<run>}); error and cause null unless
   * it failed.
   */
  public static String of(
      String taskId, int run, String status, int redriveCount, String error, String cause) {
    boolean running = status.equals("RUNNING");
    return TEMPLATE
        .replace("TASK_ID", taskId)
        .replace("RUN_N", Integer.toString(run))
        .replace("\"STATUS\"", "\"" + status + "\"")
        .replace("STOP_DATE", running ? "null" : "1795462951881")
        .replace("ERROR", error == null ? "null" : quote(error))
        .replace("CAUSE", cause == null ? "null" : quote(cause))
        .replace("REDRIVE_COUNT", Integer.toString(redriveCount))
        .replace("REDRIVE_DATE", redriveCount == 0 ? "null" : "1795462999000")
        .replace(
            "REDRIVE_STATUS",
            running || status.equals("SUCCEEDED") ? "NOT_REDRIVABLE" : "REDRIVABLE")
        .replace(
            "REDRIVE_REASON", running ? "\"Execution is RUNNING and cannot be redriven\"" : "null");
  }

  private static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String read(String resource) {
    try (InputStream in = StatusChangeEvents.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
