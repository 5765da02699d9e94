package io.stepwise.health;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.http.KnownSecrets;
import io.stepwise.http.Redaction;
import io.stepwise.models.ApiKeys;
import io.stepwise.models.ModelSpec;
import io.stepwise.models.ProbeKind;
import io.stepwise.models.ProbeRequests;
import io.stepwise.steps.errors.StepException;
import io.stepwise.steps.errors.TransientStepException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Probes over HTTP without blocking a thread per model: every probe is in flight at once, and each
 * is cut off at its timeout even when the server accepted the connection and never answers (the
 * request timeout only covers the wait for headers; {@code orTimeout} covers the rest).
 */
@Singleton
public class HttpModelProber implements ModelProber {

  private static final int SNIPPET = 200;

  private final HttpClient client;
  private final ApiKeys keys;
  private final KnownSecrets known;
  private final ProbeRequests requests;
  private final JsonMapper json;

  public HttpModelProber(
      ApiKeys keys, KnownSecrets known, ProbeRequests requests, JsonMapper json) {
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.keys = keys;
    this.known = known;
    this.requests = requests;
    this.json = json;
  }

  @Override
  public CompletableFuture<ProbeResult> probe(ModelSpec model, Duration timeout) {
    Optional<String> key;
    try {
      key = keys.keyFor(model);
    } catch (TransientStepException unreadable) {
      // Secrets Manager throttled or out of reach: a failure like any other, not a missing key.
      return CompletableFuture.completedFuture(
          ProbeResult.failure(0, "secret_unreadable", unreadable.getMessage()));
    } catch (StepException missing) {
      return CompletableFuture.completedFuture(
          ProbeResult.failure(0, "key_unavailable", missing.getMessage()));
    }
    // Every configured secret, not only this model's key: health records are shown by the API.
    List<String> secrets = known.all(key.map(List::of).orElse(List.of()));
    long started = System.nanoTime();
    CompletableFuture<HttpResponse<byte[]>> call;
    try {
      call =
          client.sendAsync(
              requests.request(model, key, timeout), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IllegalArgumentException badUrl) {
      return CompletableFuture.completedFuture(
          ProbeResult.failure(
              0, "connection", "cannot call " + model.baseUrl() + ": " + badUrl.getMessage()));
    }
    // A copy takes the timeout, so the original is still pending when cancelled and the exchange is
    // abandoned.
    return call.copy()
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (response, error) -> {
              long latency = (System.nanoTime() - started) / 1_000_000;
              if (error != null) {
                call.cancel(true);
                return failure(model, latency, unwrap(error), timeout, secrets);
              }
              return result(model, response, latency, secrets);
            });
  }

  private ProbeResult result(
      ModelSpec model, HttpResponse<byte[]> response, long latency, List<String> secrets) {
    Long remaining =
        header(
            response, "x-ratelimit-remaining-requests", "anthropic-ratelimit-requests-remaining");
    Long limit =
        header(response, "x-ratelimit-limit-requests", "anthropic-ratelimit-requests-limit");
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return wellFormed(model, response.body())
          ? ProbeResult.success(latency, remaining, limit)
          : ProbeResult.failure(
                  latency, "bad_response", "HTTP " + status + " but not the expected JSON")
              .withQuota(remaining, limit);
    }
    String code =
        switch (status) {
          case 401, 403 -> "auth";
          case 402 -> "billing";
          case 429 -> "rate_limited";
          default -> "http_" + status;
        };
    String message =
        "HTTP "
            + status
            + ": "
            + snippet(
                Redaction.redact(new String(response.body(), StandardCharsets.UTF_8), secrets));
    return ProbeResult.failure(latency, code, message).withQuota(remaining, limit);
  }

  private boolean wellFormed(ModelSpec model, byte[] body) {
    try {
      JsonNode root = json.readValue(body, JsonNode.class);
      String field =
          model.probe() == ProbeKind.COMPLETION
              ? (root.get("choices") != null ? "choices" : "content")
              : "data";
      return root.isObject() && root.get(field) != null && root.get(field).isArray();
    } catch (IOException e) {
      return false;
    }
  }

  private static ProbeResult failure(
      ModelSpec model, long latency, Throwable error, Duration timeout, List<String> secrets) {
    if (error instanceof TimeoutException || error instanceof HttpTimeoutException) {
      return ProbeResult.failure(
          latency, "timeout", "no answer within " + timeout.toMillis() + " ms");
    }
    String what = error instanceof ConnectException ? "cannot connect to " : "connection to ";
    return ProbeResult.failure(
        latency,
        "connection",
        Redaction.redact(
            what
                + model.baseUrl()
                + " failed: "
                + error.getClass().getSimpleName()
                + (error.getMessage() == null ? "" : " " + error.getMessage()),
            secrets));
  }

  private static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static Long header(HttpResponse<?> response, String... names) {
    for (String name : names) {
      Optional<String> value = response.headers().firstValue(name);
      if (value.isPresent()) {
        try {
          return Long.parseLong(value.get().trim());
        } catch (NumberFormatException unreadable) {
          return null;
        }
      }
    }
    return null;
  }

  private static String snippet(String body) {
    String text = body.replaceAll("\\s+", " ").trim();
    return text.length() > SNIPPET ? text.substring(0, SNIPPET) + "…" : text;
  }
}
