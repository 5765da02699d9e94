package io.stepwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;

/**
 * Calls the local runtime's API directly (faults, slowed models, dev tokens, waiting for a status).
 */
final class Dev {

  private Dev() {}

  static JsonNode send(URI api, String method, String path, String body) throws Exception {
    return new Api(api.toString(), null)
        .send(method, path, body == null ? null : Api.JSON.readTree(body), null)
        .json();
  }

  /** Polls until the task has {@code status} (at most a minute). */
  static void awaitStatus(URI api, String taskId, String status) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    JsonNode task = send(api, "GET", "/api/tasks/" + taskId, null);
    while (!task.path("status").asText().equals(status) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      task = send(api, "GET", "/api/tasks/" + taskId, null);
    }
    assertThat(task.path("status").asText()).as("task %s", task).isEqualTo(status);
  }
}
