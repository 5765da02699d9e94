package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.testing.contract.ApiContract;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/** The running local runtime's HTTP API, as the end-to-end tests call it. */
public final class LocalApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private LocalApi() {}

  /**
   * Sends a JSON request (body may be null); fails the test unless the answer is 2xx; the body as
   * JSON, or null.
   */
  public static JsonNode send(URI api, String method, String path, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(api + path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> r = exchange(request, method, path, body);
    assertThat(r.statusCode()).as("%s %s -> %s", method, path, r.body()).isLessThan(300);
    return r.body().isEmpty() ? null : JSON.readTree(r.body());
  }

  /** Sends a request the API must refuse with a 4xx problem; the problem body. */
  public static JsonNode refused(URI api, String method, String path, String body)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(api + path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> r = exchange(request, method, path, body);
    assertThat(r.statusCode()).as("%s %s -> %s", method, path, r.body()).isBetween(400, 499);
    return JSON.readTree(r.body());
  }

  /** Sends it and holds the exchange to the OpenAPI document ({@link ApiContract}). */
  private static HttpResponse<String> exchange(
      HttpRequest request, String method, String path, String body) throws Exception {
    HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    ApiContract.check(
        method,
        path,
        "application/json",
        body,
        r.statusCode(),
        r.headers().firstValue("Content-Type").orElse(null),
        r.body());
    return r;
  }

  /**
   * Polls the task until it has {@code status} (at most a minute), failing the test otherwise; the
   * task.
   */
  public static JsonNode awaitStatus(URI api, String taskId, String status) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    JsonNode task = send(api, "GET", "/api/tasks/" + taskId, null);
    while (!task.path("status").asText().equals(status) && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
      task = send(api, "GET", "/api/tasks/" + taskId, null);
    }
    assertThat(task.path("status").asText()).as("task %s", task).isEqualTo(status);
    return task;
  }
}
