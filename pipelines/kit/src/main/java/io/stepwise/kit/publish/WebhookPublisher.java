package io.stepwise.kit.publish;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.http.KnownSecrets;
import io.stepwise.http.OutboundHttp;
import io.stepwise.http.WebhookSignature;
import io.stepwise.steps.errors.TransientStepException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Publishes by POSTing the post as JSON to a webhook, with {@code Idempotency-Key} and an
 * HMAC-SHA256 signature over {@code <timestamp>.<body>} in {@code X-Stepwise-Signature:
 * t=<timestamp>,v1=<hex>} (the secret comes from the environment variable {@code secret-env} names;
 * {@link WebhookSignature}, which the alert webhook signs with too). Receivers are expected to
 * de-duplicate by the key, so an unanswered delivery is safe to send again.
 */
@Singleton
@Requires(property = "stepwise.publish.webhook.url")
public class WebhookPublisher implements Publisher {

  private final URI url;
  private final String secretEnv;
  private final Duration timeout;
  private final JsonMapper json;
  private final Clock clock;
  private final KnownSecrets known;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public WebhookPublisher(
      @Value("${stepwise.publish.webhook.url}") URI url,
      @Nullable @Value("${stepwise.publish.webhook.secret-env:}") String secretEnv,
      @Value("${stepwise.publish.webhook.timeout:15s}") Duration timeout,
      JsonMapper json,
      Clock clock,
      KnownSecrets known) {
    this.url = url;
    this.secretEnv = secretEnv;
    this.timeout = timeout;
    this.json = json;
    this.clock = clock;
    this.known = known;
  }

  @Override
  public String target() {
    return "webhook";
  }

  @Override
  public boolean honoursIdempotencyKey() {
    return true;
  }

  @Override
  public Receipt publish(PostPayload post, String idempotencyKey) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("idempotencyKey", idempotencyKey);
    payload.put("title", post.title());
    payload.put("content", post.body());
    payload.put("images", post.images());
    payload.put("tags", post.tags());
    byte[] body = write(payload);
    long timestamp = clock.instant().getEpochSecond();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    secret()
        .ifPresent(
            s ->
                request.header(
                    WebhookSignature.HEADER, WebhookSignature.header(s, timestamp, body)));
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (ConnectException e) {
      throw new TransientStepException("webhook " + url + " refused the connection", e);
    } catch (HttpTimeoutException e) {
      throw new PublishOutcomeUnknownException(
          "webhook " + url + " did not answer within " + timeout, e);
    } catch (IOException e) {
      throw new PublishOutcomeUnknownException(
          "webhook " + url + " failed mid-request: " + known.redact(String.valueOf(e.getMessage())),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishOutcomeUnknownException("interrupted while calling webhook " + url, e);
    }
    OutboundHttp.requireSuccess(
        response, "webhook " + url, known.all(secret().map(List::of).orElse(List.of())));
    return receipt(response.body());
  }

  private Optional<String> secret() {
    return WebhookSignature.secretFrom(secretEnv);
  }

  /**
   * What the receiver says about the delivery, stored in the checkpoint: masked, as every text from
   * outside.
   */
  private Receipt receipt(byte[] body) {
    try {
      JsonNode node = json.readValue(body, JsonNode.class);
      JsonNode id = node == null ? null : node.get("id");
      JsonNode link = node == null ? null : node.get("url");
      return new Receipt(
          id == null ? null : known.redact(id.coerceStringValue()),
          link == null ? null : known.redact(link.coerceStringValue()));
    } catch (IOException notJson) {
      return new Receipt(null, null);
    }
  }

  private byte[] write(Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
