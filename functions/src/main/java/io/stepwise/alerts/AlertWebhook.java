package io.stepwise.alerts;

import io.micronaut.json.JsonMapper;
import io.stepwise.http.KnownSecrets;
import io.stepwise.http.WebhookSignature;
import io.stepwise.model.Times;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each transition to {@code stepwise.alerts.webhook-url} as one JSON POST, signed exactly as
 * the publish webhook ({@link WebhookSignature}: {@code X-Stepwise-Signature: t=<unix
 * seconds>,v1=<hex>} over {@code <t>.<body>}, the secret from the variable {@code
 * webhook-secret-env} names) and with {@code Idempotency-Key: alert:<rule>:<id>}: a delivery whose
 * answer was lost is sent again at the next evaluation, and the receiver drops the repeat by the
 * key.
 */
@Singleton
public class AlertWebhook {

  private static final Logger LOG = LoggerFactory.getLogger(AlertWebhook.class);

  private final AlertConfig config;
  private final JsonMapper json;
  private final Clock clock;
  private final KnownSecrets known;

  /**
   * Only with a webhook: building a JDK client sets up TLS, about 300 classes of the alerts
   * function's cold start ({@code io.stepwise.bench.ColdStartBenchmark}) that an unconfigured
   * webhook never uses.
   */
  private final HttpClient http;

  public AlertWebhook(AlertConfig config, JsonMapper json, Clock clock, KnownSecrets known) {
    this.config = config;
    this.json = json;
    this.clock = clock;
    this.known = known;
    this.http =
        configured() ? HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build() : null;
  }

  public boolean configured() {
    return config.webhookUrl().isPresent();
  }

  /**
   * Sends one transition; true when the receiver answered 2xx. A failure is logged on one line (no
   * stack trace: it is retried at the next evaluation) and never thrown.
   */
  public boolean send(Transition t) {
    URI url = config.webhookUrl().orElse(null);
    if (url == null) {
      return true;
    }
    try {
      byte[] body = json.writeValueAsBytes(payload(t));
      HttpRequest.Builder request =
          HttpRequest.newBuilder(url)
              .timeout(config.webhookTimeout())
              .header("Content-Type", "application/json")
              .header("Idempotency-Key", "alert:" + t.rule().wire() + ":" + t.id())
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      WebhookSignature.secretFrom(config.webhookSecretEnv())
          .ifPresent(
              s ->
                  request.header(
                      WebhookSignature.HEADER,
                      WebhookSignature.header(s, clock.instant().getEpochSecond(), body)));
      HttpResponse<Void> response =
          http.send(request.build(), HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() / 100 == 2) {
        return true;
      }
      LOG.warn(
          "alert webhook {} answered HTTP {} for {} {}; sent again at the next evaluation",
          url,
          response.statusCode(),
          t.rule().wire(),
          t.event().wire());
    } catch (IOException e) {
      LOG.warn(
          "alert webhook {} failed for {} {}: {}; sent again at the next evaluation",
          url,
          t.rule().wire(),
          t.event().wire(),
          known.redact(String.valueOf(e)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("alert webhook {} interrupted; sent again at the next evaluation", url);
    }
    return false;
  }

  /** The documented body (docs/operations.md, "Alerts"). */
  static Map<String, Object> payload(Transition t) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", "alert");
    p.put("rule", t.rule().wire());
    p.put("event", t.event().wire());
    p.put("at", Times.format(t.at()));
    p.put("value", t.value());
    p.put("threshold", t.threshold());
    p.put("unit", t.rule().unit());
    p.put("model", t.model());
    p.put("from", t.from());
    p.put("to", t.to());
    return p;
  }

  /** Pending transitions, oldest first, until one fails: order is kept for the receiver. */
  public int deliver(List<Transition> pendingOldestFirst, AlertStore store) {
    int sent = 0;
    for (Transition t : pendingOldestFirst) {
      if (!send(t)) {
        break;
      }
      store.delivered(t);
      sent++;
    }
    return sent;
  }
}
