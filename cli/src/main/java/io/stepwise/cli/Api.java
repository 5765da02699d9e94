package io.stepwise.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One Stepwise API over HTTP. A 4xx or 5xx answer becomes an {@link ApiProblem} carrying the
 * problem's status, title and detail; the bearer token goes into the Authorization header only and
 * is never part of a message.
 */
final class Api {

  static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final URI base;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  Api(String base, String token) {
    String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.base = URI.create(trimmed);
    this.token = token == null || token.isBlank() ? null : token.strip();
  }

  /** The answer: its raw body (what {@code --json} prints) and that body parsed. */
  record Answer(String body, JsonNode json) {}

  Answer get(String path) {
    return send("GET", path, null, null);
  }

  Answer post(String path, JsonNode body) {
    return send("POST", path, body, null);
  }

  Answer put(String path, JsonNode body) {
    return send("PUT", path, body, null);
  }

  Answer send(String method, String path, JsonNode body, String idempotencyKey) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(base.getPath() + path))
            .timeout(Duration.ofSeconds(60))
            .header("Accept", "application/json, application/problem+json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    HttpResponse<String> response;
    try {
      response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ApiProblem.Unreachable(base, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiProblem.Unreachable(base, e);
    }
    JsonNode json = parse(response.body());
    if (response.statusCode() >= 400) {
      throw ApiProblem.of(method, path, response.statusCode(), json);
    }
    return new Answer(response.body(), json);
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return JSON.nullNode();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException notJson) {
      return JSON.getNodeFactory().textNode(body);
    }
  }

  static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
