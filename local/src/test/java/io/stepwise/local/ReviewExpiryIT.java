package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.fakes.Fault;
import io.stepwise.fakes.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A review's deadline and its notification, through the local runtime with a configuration file: a
 * review open for one second expires (the task fails at the review with a clear error, in real
 * seconds as on AWS: the time scale does not shorten TimeoutSeconds), a retry opens it again
 * without running anything before it; each opening notifies the configured webhook, signed as the
 * publish webhook, and a failed delivery is tried again without failing the task.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReviewExpiryIT {

  private static final String SECRET_ENV = "STEPWISE_TEST_REVIEW_WEBHOOK_SECRET";
  private static final String SECRET = "review-webhook-secret";
  private static final ObjectMapper JSON = new ObjectMapper();

  private WebhookReceiver webhook;
  private LocalRuntime runtime;

  @BeforeAll
  void start() throws Exception {
    System.setProperty(SECRET_ENV, SECRET);
    webhook = WebhookReceiver.start(0);
    Path config = Files.createTempFile("stepwise-review", ".yml");
    Files.writeString(
        config,
        """
        stepwise:
          pipelines:
            paper-digest:
              review-timeout: 2s
          reviews:
            dashboard-url: http://dashboard.example/
            webhook:
              url: %s
              secret-env: %s
              first-pause: 10ms
        """
            .formatted(webhook.url(), SECRET_ENV));
    runtime =
        LocalRuntime.start(
            new Options(0, 0, 0, 0.001, null, false, null, null, false, false, config, false));
  }

  @AfterAll
  void stop() {
    runtime.close();
    webhook.close();
    System.clearProperty(SECRET_ENV);
  }

  private JsonNode send(String method, String path, String body) throws Exception {
    return LocalApi.send(runtime.api(), method, path, body);
  }

  @Test
  void anUndecidedReview_expires_retryReopensIt_andEachOpeningIsNotifiedSigned() throws Exception {
    webhook.reset();
    webhook.failNext(
        Fault.status(503, "busy")); // the first delivery fails; the next attempt succeeds
    String id =
        send("POST", "/api/tasks", "{\"maxPapers\":1,\"review\":true}").path("taskId").asText();
    JsonNode waiting = LocalApi.awaitStatus(runtime.api(), id, "awaiting_review");
    Instant since = Instant.parse(waiting.path("review").path("since").asText());
    Instant expires = Instant.parse(waiting.path("review").path("expiresAt").asText());
    assertThat(Duration.between(since, expires)).isEqualTo(Duration.ofSeconds(2));

    JsonNode failed = LocalApi.awaitStatus(runtime.api(), id, "failed");
    assertThat(failed.path("failedStep").asText()).isEqualTo("review");
    assertThat(failed.path("error").path("type").asText()).isEqualTo("ReviewExpired");
    assertThat(failed.path("error").path("message").asText())
        .startsWith("nobody decided the review of build_payload by ")
        .contains("/retry opens it again");
    assertThat(failed.path("resumable").asBoolean()).isTrue();

    send("POST", "/api/tasks/" + id + "/retry", null);
    JsonNode reopened = LocalApi.awaitStatus(runtime.api(), id, "awaiting_review");
    assertThat(reopened.path("runs").get(1).path("startAt").asText()).isEqualTo("review");
    for (int step = 0; step < 4; step++) {
      assertThat(reopened.path("steps").get(step).path("executions").asInt())
          .as("step %d is not run again", step)
          .isEqualTo(1);
    }
    send("POST", "/api/tasks/" + id + "/review", "{\"decision\":\"approve\"}");
    LocalApi.awaitStatus(runtime.api(), id, "succeeded");

    // each opening is delivered (the first after a 503 and a retry)
    java.util.List<WebhookReceiver.Delivery> mine =
        webhook.deliveries().stream().filter(d -> d.body().contains(id)).toList();
    assertThat(mine).hasSizeGreaterThanOrEqualTo(2);
    WebhookReceiver.Delivery delivered = mine.get(mine.size() - 1);
    JsonNode event = JSON.readTree(delivered.body());
    assertThat(event.path("event").asText()).isEqualTo("review.opened");
    assertThat(event.path("taskId").asText()).isEqualTo(id);
    assertThat(event.path("step").asText()).isEqualTo("build_payload");
    assertThat(event.path("expiresAt").asText())
        .isEqualTo(reopened.path("review").path("expiresAt").asText());
    assertThat(event.path("link").asText()).isEqualTo("http://dashboard.example/#/tasks/" + id);
    Matcher m =
        Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})")
            .matcher(delivered.headers().get("X-Stepwise-Signature"));
    assertThat(m.matches()).isTrue();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((m.group(1) + ".").getBytes(StandardCharsets.UTF_8));
    assertThat(m.group(2))
        .isEqualTo(
            HexFormat.of()
                .formatHex(mac.doFinal(delivered.body().getBytes(StandardCharsets.UTF_8))));
  }
}
