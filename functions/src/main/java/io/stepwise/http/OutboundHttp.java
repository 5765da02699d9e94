package io.stepwise.http;

import io.stepwise.steps.errors.RateLimitedException;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.steps.errors.TransientStepException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Optional;

/**
 * Calls to outside systems, with the step error rules: connection errors, timeouts and 5xx are
 * transient; 429 is rate limiting (honouring Retry-After); any other 4xx is terminal, because
 * sending the same request again cannot succeed. Error texts never contain the secrets passed in
 * {@code redact}; response headers are only read as numbers (Retry-After), so a header repeating a
 * key never becomes text here.
 */
public final class OutboundHttp {

  private static final int SNIPPET = 300;

  private final HttpClient client;

  public OutboundHttp(Duration connectTimeout) {
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** Sends the request; returns the response only when its status is 2xx. */
  public HttpResponse<byte[]> send(HttpRequest request, String what, Collection<String> redact) {
    HttpResponse<byte[]> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      throw new TransientStepException(
          what
              + " timed out after "
              + request.timeout().map(Duration::toString).orElse("the timeout"),
          e);
    } catch (IOException e) {
      throw new TransientStepException(
          what + " failed: " + Redaction.redact(String.valueOf(e.getMessage()), redact), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientStepException(what + " was interrupted", e);
    }
    return requireSuccess(response, what, redact);
  }

  /** The response if its status is 2xx; otherwise the step error its status means. */
  public static HttpResponse<byte[]> requireSuccess(
      HttpResponse<byte[]> response, String what, Collection<String> redact) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return response;
    }
    // The whole body is redacted before it is cut short, so no key survives in part at the cut.
    String detail =
        what
            + " answered HTTP "
            + status
            + ": "
            + snippet(
                Redaction.redact(new String(response.body(), StandardCharsets.UTF_8), redact));
    if (status == 429) {
      throw new RateLimitedException(detail, retryAfter(response).orElse(null));
    }
    if (status >= 500 || status == 408) {
      throw new TransientStepException(detail);
    }
    throw new TerminalStepException(detail);
  }

  /** Retry-After as seconds or an HTTP date. */
  static Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .flatMap(
            value -> {
              try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
              } catch (NumberFormatException notSeconds) {
                try {
                  ZonedDateTime at =
                      ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                  Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                  return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
                } catch (DateTimeParseException unreadable) {
                  return Optional.empty();
                }
              }
            });
  }

  private static String snippet(String body) {
    String text = body.replaceAll("\\s+", " ").trim();
    return text.length() > SNIPPET ? text.substring(0, SNIPPET) + "…" : text;
  }
}
