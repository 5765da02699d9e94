package io.stepwise.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.fakes.ModelBehaviour;
import io.stepwise.models.ModelCatalog;
import io.stepwise.testing.HealthItems;
import io.stepwise.testing.LocalDynamo;
import io.stepwise.testing.LocalServicesBase;
import io.stepwise.testing.TestLambdaContext;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The health-check Lambda handler against the local OpenAI/Anthropic servers and DynamoDB Local.
 */
@MicronautTest(environments = "test")
class HealthCheckIT extends LocalServicesBase {

  static final String[] MODELS = HealthTestModels.NAMES;

  @Inject HealthStore store;
  @Inject ModelCatalog catalog;
  @Inject ModelProber prober;
  @Inject HealthConfig config;
  @Inject Clock clock;
  HealthCheckFunction function;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = HealthTestModels.properties(super.getProperties(), models);
    p.put("stepwise.health.min-gap", "0s");
    return p;
  }

  @BeforeAll
  void handler() {
    function = new HealthCheckFunction(context);
  }

  @BeforeEach
  void freshHealth() {
    HealthItems.clear(table, MODELS);
  }

  /** Invokes the handler as Lambda does, with an EventBridge scheduled event. */
  private HealthCheckFunction.Summary invoke() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream event = getClass().getResourceAsStream("/events/scheduled-event.json")) {
      function.handleRequest(event, out, new TestLambdaContext("health-check"));
    }
    return context
        .getBean(JsonMapper.class)
        .readValue(out.toByteArray(), HealthCheckFunction.Summary.class);
  }

  private ModelHealth latest(String name) {
    return store.latest(List.of(name)).get(name);
  }

  @Test
  void statusesAcrossChecks_healthyDegradedUnhealthyThenRecovered() throws Exception {
    HealthCheckFunction.Summary first = invoke();
    assertThat(first.probed()).as("every enabled model, not the disabled one").isEqualTo(4);
    assertThat(first.written()).isEqualTo(4);
    assertThat(first.statuses())
        .containsEntry("primary", "healthy")
        .containsEntry("backup", "healthy")
        .doesNotContainKey("off");

    models.behave("fake-gpt", ModelBehaviour.healthy().withDelay(1500));
    invoke();
    assertThat(latest("primary").status())
        .as("slower than the 1 s threshold")
        .isEqualTo(HealthStatus.DEGRADED);

    models.behave("fake-gpt", ModelBehaviour.failing(503));
    invoke();
    assertThat(latest("primary").status()).isEqualTo(HealthStatus.DEGRADED);
    invoke();
    assertThat(latest("primary").status()).isEqualTo(HealthStatus.DEGRADED);
    invoke();
    ModelHealth down = latest("primary");
    assertThat(down.status()).isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(down.consecutiveFailures()).isEqualTo(3);
    assertThat(down.errorCode()).isEqualTo("http_503");
    assertThat(down.errorMessage()).contains("HTTP 503").contains("fake provider error 503");

    models.behave("fake-gpt", ModelBehaviour.healthy());
    invoke();
    ModelHealth back = latest("primary");
    assertThat(back.status()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(back.consecutiveFailures()).isZero();
    assertThat(back.successRate()).isEqualTo(3 / 6.0);
    assertThat(back.emaLatencyMs()).isNotNull();

    List<HealthCheckRecord> history = store.history("primary", 20);
    assertThat(history).hasSize(6);
    assertThat(history)
        .extracting(HealthCheckRecord::status)
        .containsExactly(
            HealthStatus.HEALTHY,
            HealthStatus.UNHEALTHY,
            HealthStatus.DEGRADED,
            HealthStatus.DEGRADED,
            HealthStatus.DEGRADED,
            HealthStatus.HEALTHY);
    assertThat(latest("backup").status()).isEqualTo(HealthStatus.HEALTHY);
  }

  @Test
  void historyItems_expireAfter24Hours() throws Exception {
    invoke();
    var items =
        LocalDynamo.client()
            .query(
                b ->
                    b.tableName(table)
                        .keyConditionExpression("PK = :pk AND begins_with(SK, :c)")
                        .expressionAttributeValues(
                            Map.of(
                                ":pk",
                                AttributeValue.fromS("MODEL#backup"),
                                ":c",
                                AttributeValue.fromS("CHECK#"))))
            .items();
    assertThat(items).hasSize(1);
    Instant checked = Instant.parse(items.get(0).get("checkedAt").s());
    assertThat(Long.parseLong(items.get(0).get("expiresAt").n()))
        .isEqualTo(checked.plus(Duration.ofHours(24)).getEpochSecond());
    var latestItem =
        LocalDynamo.client()
            .getItem(
                b ->
                    b.tableName(table)
                        .key(
                            Map.of(
                                "PK",
                                AttributeValue.fromS("MODEL#backup"),
                                "SK",
                                AttributeValue.fromS("LATEST"))))
            .item();
    assertThat(latestItem).doesNotContainKey("expiresAt");
  }

  @Test
  void authAndBillingErrors_areUnhealthyAtOnce_andTheEchoedKeyIsMasked() throws Exception {
    models.requireKey("sk-the-right-key-000000");
    try {
      invoke();
    } finally {
      models.requireKey(null);
    }
    ModelHealth primary = latest("primary");
    assertThat(primary.status()).isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(primary.errorCode()).isEqualTo("auth");
    assertThat(primary.errorMessage())
        .contains("HTTP 401")
        .contains("sk-…")
        .doesNotContain(OPENAI_KEY);
    assertThat(latest("backup").errorMessage()).doesNotContain(ANTHROPIC_KEY);

    HealthItems.clear(table, MODELS);
    models.behave("fake-claude", ModelBehaviour.failing(402));
    invoke();
    assertThat(latest("backup").status()).isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(latest("backup").errorCode()).isEqualTo("billing");
  }

  @Test
  void quota_isReadFromOpenAiAndAnthropicRateLimitHeaders() throws Exception {
    models.behave(
        "fake-gpt",
        ModelBehaviour.healthy()
            .withStatus(
                200,
                Map.of(
                    "x-ratelimit-limit-requests", "100", "x-ratelimit-remaining-requests", "42")));
    models.behave(
        "fake-claude",
        ModelBehaviour.healthy()
            .withStatus(
                200,
                Map.of(
                    "anthropic-ratelimit-requests-limit",
                    "50",
                    "anthropic-ratelimit-requests-remaining",
                    "7")));
    models.behave(
        "fake-slow",
        ModelBehaviour.healthy()
            .withStatus(
                429,
                Map.of(
                    "x-ratelimit-limit-requests",
                    "100",
                    "x-ratelimit-remaining-requests",
                    "0",
                    "Retry-After",
                    "30")));
    invoke();

    assertThat(latest("primary").quotaRemaining()).isEqualTo(42);
    assertThat(latest("primary").quotaLimit()).isEqualTo(100);
    assertThat(latest("backup").quotaRemaining()).isEqualTo(7);
    assertThat(latest("backup").quotaLimit()).isEqualTo(50);
    ModelHealth limited = latest("slowpoke");
    assertThat(limited.quotaRemaining()).isZero();
    assertThat(limited.errorCode()).isEqualTo("rate_limited");
    assertThat(limited.status()).isEqualTo(HealthStatus.DEGRADED);
  }

  @Test
  void hangingProvider_timesOutWithoutHoldingUpTheOthers() throws Exception {
    models.behave("fake-slow", ModelBehaviour.healthy().hanging(30_000));
    HealthCheckFunction.Summary summary = invoke();

    assertThat(summary.durationMs())
        .as("cut off by the 3 s probe timeout, not the 30 s hang")
        .isLessThan(30_000);
    ModelHealth hung = latest("slowpoke");
    assertThat(hung.errorCode()).isEqualTo("timeout");
    assertThat(hung.latencyMs()).isGreaterThanOrEqualTo(3_000);
    assertThat(hung.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(summary.statuses())
        .containsEntry("primary", "healthy")
        .containsEntry("backup", "healthy")
        .containsEntry("completer", "healthy");
  }

  @Test
  void concurrentSweeps_keepOneResultPerModel() throws Exception {
    // Two instances (two sweeps with nothing shared in memory) start together; probes take 300 ms,
    // so both read
    // the same latest state before either writes.
    for (String m : List.of("fake-gpt", "fake-claude", "fake-slow", "fake-complete")) {
      models.behave(m, ModelBehaviour.healthy().withDelay(300));
    }
    HealthSweep a = new HealthSweep(catalog, store, prober, config, clock);
    HealthSweep b = new HealthSweep(catalog, store, prober, config, clock);
    CountDownLatch go = new CountDownLatch(1);
    CompletableFuture<SweepReport> ra = CompletableFuture.supplyAsync(() -> await(go, a));
    CompletableFuture<SweepReport> rb = CompletableFuture.supplyAsync(() -> await(go, b));
    go.countDown();
    SweepReport first = ra.join();
    SweepReport second = rb.join();

    assertThat(first.written() + second.written())
        .as("one result per model between the two")
        .isEqualTo(4);
    for (String model : List.of("primary", "backup", "slowpoke", "completer")) {
      assertThat(HealthItems.historyCount(table, model)).as(model).isEqualTo(1);
    }
    assertThat(second.models())
        .extracting(ModelHealth::checkedAt)
        .containsExactlyElementsOf(first.models().stream().map(ModelHealth::checkedAt).toList());
  }

  @Test
  void duplicateScheduledDelivery_withinTheMinimumGap_probesNothing() {
    HealthConfig gap =
        new HealthConfig(
            config.interval(),
            config.probeTimeout(),
            Duration.ofSeconds(10),
            config.slowThreshold(),
            config.unhealthyAfter(),
            config.emaAlpha(),
            config.successWindow(),
            config.historyRetention(),
            config.historyLimit(),
            config.cooldown(),
            config.maxCooldown(),
            config.costReference());
    HealthSweep sweep = new HealthSweep(catalog, store, prober, gap, clock);
    SweepReport first = sweep.sweep();
    int calls = models.calls().size();
    SweepReport again = sweep.sweep();

    assertThat(first.probed()).isEqualTo(4);
    assertThat(again.probed()).isZero();
    assertThat(again.written()).isZero();
    assertThat(again.fresh()).isEqualTo(4);
    assertThat(models.calls()).hasSize(calls);
    assertThat(HealthItems.historyCount(table, "primary")).isEqualTo(1);
  }

  @Test
  void probes_listModelsByDefault_andCompletionProbeSendsOneCappedRequest() throws Exception {
    invoke();
    assertThat(models.calls("fake-gpt"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.protocol()).isEqualTo("openai-models");
              assertThat(c.keyPresent()).isTrue();
            });
    assertThat(models.calls("fake-claude"))
        .singleElement()
        .satisfies(c -> assertThat(c.protocol()).isEqualTo("anthropic-models"));
    assertThat(models.calls("fake-complete"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.protocol()).isEqualTo("openai");
              assertThat(c.body().get("max_tokens").asInt()).isEqualTo(1);
            });
    assertThat(models.calls("fake-off")).isEmpty();
  }

  private static SweepReport await(CountDownLatch go, HealthSweep sweep) {
    try {
      go.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return sweep.sweep();
  }
}
