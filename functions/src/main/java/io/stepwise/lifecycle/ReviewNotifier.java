package io.stepwise.lifecycle;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.stepwise.http.KnownSecrets;
import io.stepwise.http.Redaction;
import io.stepwise.http.WebhookSignature;
import io.stepwise.model.Review;
import io.stepwise.model.Task;
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
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Tells the reviewers that a task waits for them, through each configured target: a POST of {@code
 * {event: "review.opened", taskId, pipeline, step, since, expiresAt, link}} to {@code
 * stepwise.reviews.webhook.url}, signed as the publish webhook is ({@link WebhookSignature}, secret
 * from the environment variable {@code stepwise.reviews.webhook.secret-env} names), and on AWS a
 * message to the SNS topic {@code stepwise.reviews.topic-arn} (the same JSON for machines, a
 * sentence for e-mail subscribers). A failed delivery is logged and tried again ({@code attempts}
 * in all, doubling the pause from one second); it never fails the task, which waits for its
 * reviewer all the same (the dashboard's review queue lists it).
 */
@Singleton
public class ReviewNotifier {

  private static final Logger LOG = LoggerFactory.getLogger(ReviewNotifier.class);

  private final String url;
  private final String secretEnv;
  private final String dashboardUrl;
  private final int attempts;
  private final Duration firstPause;
  private final JsonMapper json;
  private final Clock clock;
  private final KnownSecrets known;
  private final String topicArn;
  private final BeanProvider<SnsClient> sns;

  /**
   * Only with a webhook: building a JDK client sets up TLS, about 300 classes of the review
   * function's cold start ({@code io.stepwise.bench.ColdStartBenchmark}) that a topic alone never
   * uses.
   */
  private final HttpClient http;

  public ReviewNotifier(
      @Nullable @Value("${stepwise.reviews.topic-arn:}") String topicArn,
      BeanProvider<SnsClient> sns,
      @Nullable @Value("${stepwise.reviews.webhook.url:}") String url,
      @Nullable @Value("${stepwise.reviews.webhook.secret-env:}") String secretEnv,
      @Value("${stepwise.reviews.dashboard-url:http://localhost:8080/}") String dashboardUrl,
      @Value("${stepwise.reviews.webhook.attempts:3}") int attempts,
      @Value("${stepwise.reviews.webhook.first-pause:1s}") Duration firstPause,
      JsonMapper json,
      Clock clock,
      KnownSecrets known) {
    this.topicArn = topicArn == null ? "" : topicArn.strip();
    this.sns = sns;
    this.url = url == null ? "" : url.strip();
    this.http =
        this.url.isEmpty()
            ? null
            : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.secretEnv = secretEnv;
    this.dashboardUrl = dashboardUrl.endsWith("/") ? dashboardUrl : dashboardUrl + "/";
    this.attempts = Math.max(1, attempts);
    this.firstPause = firstPause;
    this.json = json;
    this.clock = clock;
    this.known = known;
  }

  /** Whether a webhook or a topic is configured. */
  public boolean enabled() {
    return !url.isEmpty() || !topicArn.isEmpty();
  }

  /** Notifies every configured target about the task's open review; returns how many took it. */
  public int opened(Task task) {
    Review review = task.review();
    if (!enabled() || review == null) {
      return 0;
    }
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("event", "review.opened");
    event.put("taskId", task.taskId());
    event.put("pipeline", task.pipeline());
    event.put("step", review.step());
    event.put("since", Times.format(review.since()));
    event.put("expiresAt", Times.format(review.expiresAt()));
    event.put("link", dashboardUrl + "#/tasks/" + task.taskId());
    byte[] body;
    try {
      body = json.writeValueAsBytes(event);
    } catch (IOException e) {
      LOG.warn("review notification for task {} not written: {}", task.taskId(), e.getMessage());
      return 0;
    }
    String key = task.taskId() + "/" + review.since().toEpochMilli();
    int delivered = 0;
    if (!url.isEmpty() && tryAll(task, "webhook", () -> deliver(key, body))) {
      delivered++;
    }
    if (!topicArn.isEmpty() && tryAll(task, "SNS topic", () -> publish(task, review, body))) {
      delivered++;
    }
    return delivered;
  }

  /** Delivers with {@code attempts} tries; whether one succeeded. */
  private boolean tryAll(Task task, String target, java.util.function.Supplier<String> delivery) {
    Duration pause = firstPause;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      String problem = delivery.get();
      if (problem == null) {
        return true;
      }
      LOG.atWarn()
          .addKeyValue("taskId", task.taskId())
          .log(
              "review notification to the {} for task {} failed (attempt {} of {}): {}",
              target,
              task.taskId(),
              attempt,
              attempts,
              problem);
      if (attempt < attempts && !sleep(pause)) {
        break;
      }
      pause = pause.multipliedBy(2);
    }
    return false;
  }

  /**
   * Publishes to the topic: the event's JSON by default, a sentence with the link for e-mail (SNS's
   * per-protocol message structure). Null when SNS took it.
   */
  private String publish(Task task, Review review, byte[] event) {
    String text =
        "Task "
            + task.taskId()
            + " ("
            + task.pipeline()
            + ") awaits review of "
            + review.step()
            + " until "
            + Times.format(review.expiresAt())
            + ": "
            + dashboardUrl
            + "#/tasks/"
            + task.taskId();
    Map<String, String> perProtocol = new LinkedHashMap<>();
    perProtocol.put("default", new String(event, java.nio.charset.StandardCharsets.UTF_8));
    perProtocol.put("email", text);
    try {
      String message = json.writeValueAsString(perProtocol);
      sns.get()
          .publish(
              b ->
                  b.topicArn(topicArn)
                      .subject("Stepwise: a task awaits review (" + task.pipeline() + ")")
                      .messageStructure("json")
                      .message(message));
      return null;
    } catch (SdkException | IOException e) {
      return Redaction.redact(String.valueOf(e.getMessage()), known.all());
    }
  }

  /** Null when the receiver took it, else what went wrong (secrets masked). */
  private String deliver(String idempotencyKey, byte[] body) {
    long timestamp = clock.instant().getEpochSecond();
    HttpRequest.Builder request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .header("Idempotency-Key", idempotencyKey)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    } catch (IllegalArgumentException badUrl) {
      return "stepwise.reviews.webhook.url is not a URL: " + badUrl.getMessage();
    }
    WebhookSignature.secretFrom(secretEnv)
        .ifPresent(
            s ->
                request.header(
                    WebhookSignature.HEADER, WebhookSignature.header(s, timestamp, body)));
    try {
      HttpResponse<Void> response =
          http.send(request.build(), HttpResponse.BodyHandlers.discarding());
      return response.statusCode() / 100 == 2
          ? null
          : "the webhook answered HTTP " + response.statusCode();
    } catch (IOException e) {
      return Redaction.redact(
          String.valueOf(e.getMessage()),
          known.all(WebhookSignature.secretFrom(secretEnv).map(List::of).orElse(List.of())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static boolean sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
