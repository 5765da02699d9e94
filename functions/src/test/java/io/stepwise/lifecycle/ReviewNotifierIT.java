package io.stepwise.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.fakes.SnsServer;
import io.stepwise.model.Review;
import io.stepwise.model.Task;
import io.stepwise.model.TaskStatus;
import io.stepwise.testing.LocalServicesBase;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A review's notification on AWS: a message to the SNS topic, through the unchanged SDK client
 * against a local server speaking SNS's Query protocol. The message carries the event's JSON by
 * default and a sentence with the dashboard link for e-mail subscribers; a throttled publish is
 * tried again, and a topic that does not exist is logged, never thrown (the task waits all the
 * same).
 */
@MicronautTest(environments = "test")
class ReviewNotifierIT extends LocalServicesBase {

  private static final ObjectMapper JSON = new ObjectMapper();

  final SnsServer sns = SnsServer.start(0);
  final String topic = sns.topic("stepwise-reviews");

  @Inject ReviewNotifier notifier;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = new HashMap<>(super.getProperties());
    p.put("aws.services.sns.endpoint-override", sns.baseUrl().toString());
    p.put("stepwise.reviews.topic-arn", topic);
    p.put("stepwise.reviews.webhook.first-pause", "1ms");
    p.put("stepwise.reviews.dashboard-url", "https://stepwise.example/");
    return p;
  }

  @AfterAll
  void stopSns() {
    sns.close();
  }

  private static Task awaiting(String id) {
    Instant since = Instant.parse("2026-12-06T10:00:00Z");
    return Task.builder()
        .taskId(id)
        .pipeline("paper-digest")
        .status(TaskStatus.AWAITING_REVIEW)
        .currentRunId("r0")
        .runs(List.of())
        .review(Review.open("build_payload", since, since.plusSeconds(86_400), "token-never-sent"))
        .createdAt(since)
        .updatedAt(since)
        .expiresAt(since.plusSeconds(86_400 * 30L))
        .build();
  }

  @Test
  void anOpenedReview_isPublishedToTheTopic_jsonByDefault_aSentenceByEmail_afterAThrottle()
      throws Exception {
    sns.throttleNext(1);
    assertThat(notifier.opened(awaiting("t-sns"))).isEqualTo(1);

    SnsServer.Published published = sns.published().get(sns.published().size() - 1);
    assertThat(published.fields().get("TopicArn")).isEqualTo(topic);
    assertThat(published.fields().get("MessageStructure")).isEqualTo("json");
    assertThat(published.subject()).isEqualTo("Stepwise: a task awaits review (paper-digest)");
    JsonNode perProtocol = JSON.readTree(published.message());
    JsonNode event = JSON.readTree(perProtocol.path("default").asText());
    assertThat(event.path("event").asText()).isEqualTo("review.opened");
    assertThat(event.path("taskId").asText()).isEqualTo("t-sns");
    assertThat(event.path("expiresAt").asText()).isEqualTo("2026-12-07T10:00:00.000Z");
    assertThat(perProtocol.path("email").asText())
        .isEqualTo(
            "Task t-sns (paper-digest) awaits review of build_payload until 2026-12-07T10:00:00.000Z:"
                + " https://stepwise.example/#/tasks/t-sns");
    assertThat(published.message()).doesNotContain("token-never-sent");
  }

  @Test
  void aTopicThatDoesNotExist_isNotThrown_theTaskWaitsAllTheSame() {
    SnsServer other = SnsServer.start(0); // knows no topic
    try {
      ReviewNotifier lost =
          new ReviewNotifier(
              topic,
              () -> notifierClient(other),
              "",
              "",
              "http://localhost:8080/",
              2,
              java.time.Duration.ofMillis(1),
              io.micronaut.json.JsonMapper.createDefault(),
              java.time.Clock.systemUTC(),
              also -> List.of());
      assertThat(lost.opened(awaiting("t-lost"))).isZero();
      assertThat(other.published()).isEmpty();
    } finally {
      other.close();
    }
  }

  private static software.amazon.awssdk.services.sns.SnsClient notifierClient(SnsServer server) {
    return software.amazon.awssdk.services.sns.SnsClient.builder()
        .endpointOverride(server.baseUrl())
        .region(software.amazon.awssdk.regions.Region.US_EAST_1)
        .credentialsProvider(
            software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("x", "y")))
        .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
        .build();
  }
}
