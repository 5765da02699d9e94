package io.stepwise.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.fakes.ModelBehaviour;
import io.stepwise.health.HealthTestModels;
import io.stepwise.testing.ApiClient;
import io.stepwise.testing.ApiClient.Response;
import io.stepwise.testing.HealthItems;
import io.stepwise.testing.LocalServicesBase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/models/*} through the API Lambda handler (API Gateway v2 events), default minimum gap
 * (10 s).
 */
@MicronautTest(environments = "test")
class ModelHealthApiIT extends LocalServicesBase {

  ApiClient api;

  @Override
  public Map<String, String> getProperties() {
    return HealthTestModels.properties(super.getProperties(), models);
  }

  @BeforeAll
  void client() {
    api = new ApiClient(context);
  }

  @BeforeEach
  void freshHealth() {
    HealthItems.clear(table, HealthTestModels.NAMES);
  }

  private static JsonNode model(Response r, String name) {
    for (JsonNode m : r.json().get("models").values()) {
      if (m.get("name").getStringValue().equals(name)) {
        return m;
      }
    }
    throw new AssertionError("no model " + name + " in " + r.body());
  }

  @Test
  void health_beforeAnyCheck_listsEveryConfiguredModelAsUnknown() {
    Response r = api.get("/api/models/health");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("intervalSeconds").getLongValue()).isEqualTo(60);
    assertThat(r.json().get("checkedAt").isNull()).isTrue();
    JsonNode off = model(r, "off");
    assertThat(off.get("status").getStringValue()).isEqualTo("unknown");
    List<String> fields = new ArrayList<>();
    off.entries().forEach(e -> fields.add(e.getKey()));
    assertThat(fields)
        .containsExactly(
            "name",
            "provider",
            "status",
            "enabled",
            "latencyMs",
            "emaLatencyMs",
            "successRate",
            "consecutiveFailures",
            "error",
            "quotaRemaining",
            "lastCheck");
    assertThat(off.get("enabled").getBooleanValue()).isFalse();
    assertThat(model(r, "primary").get("enabled").getBooleanValue()).isTrue();
  }

  @Test
  void check_runsASweep_andReturnsLiveStatuses() {
    models.behave("fake-gpt", ModelBehaviour.failing(503));
    Response r = api.post("/api/models/health/check", null);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.text("checkedAt")).isNotNull();
    JsonNode primary = model(r, "primary");
    assertThat(primary.get("status").getStringValue()).isEqualTo("degraded");
    assertThat(primary.get("consecutiveFailures").getIntValue()).isEqualTo(1);
    assertThat(primary.get("error").get("code").getStringValue()).isEqualTo("http_503");
    assertThat(primary.get("error").get("message").getStringValue()).contains("HTTP 503");
    JsonNode backup = model(r, "backup");
    assertThat(backup.get("status").getStringValue()).isEqualTo("healthy");
    assertThat(backup.get("provider").getStringValue()).isEqualTo("anthropic");
    assertThat(backup.get("error").isNull()).isTrue();
    assertThat(backup.get("quotaRemaining").getLongValue()).isEqualTo(499);
    assertThat(backup.get("successRate").getDoubleValue()).isEqualTo(1.0);
    assertThat(backup.get("lastCheck").getStringValue()).isEqualTo(r.text("checkedAt"));
    assertThat(model(r, "off").get("status").getStringValue())
        .as("disabled: never probed")
        .isEqualTo("unknown");
    Response read = api.get("/api/models/health");
    assertThat(read.json().get("models")).isEqualTo(r.json().get("models"));
    assertThat(read.text("checkedAt")).isEqualTo(r.text("checkedAt"));
    assertThat(r.json().get("notProbed").size()).as("everything was probed").isZero();
  }

  @Test
  void check_withinTheMinimumGap_returnsTheLatestWithoutProbingAgain_andSaysSo() {
    Response first = api.post("/api/models/health/check", null);
    int calls = models.calls().size();
    models.behave("fake-gpt", ModelBehaviour.failing(500));
    Response second = api.post("/api/models/health/check", "{}");

    assertThat(second.status()).isEqualTo(200);
    assertThat(models.calls()).as("no provider was called again").hasSize(calls);
    assertThat(second.json().get("models")).isEqualTo(first.json().get("models"));
    assertThat(first.json().get("notProbed").size()).as("the first check probed all").isZero();
    List<String> enabled = new ArrayList<>();
    first
        .json()
        .get("models")
        .values()
        .forEach(
            m -> {
              if (m.get("enabled").getBooleanValue()) {
                enabled.add(m.get("name").getStringValue());
              }
            });
    List<String> skipped = new ArrayList<>();
    second
        .json()
        .get("notProbed")
        .values()
        .forEach(
            n -> {
              skipped.add(n.get("name").getStringValue());
              Instant last = Instant.parse(n.get("lastCheck").getStringValue());
              assertThat(Instant.parse(n.get("nextProbeAt").getStringValue()))
                  .as("%s may be probed one minimum gap after its last check", n)
                  .isEqualTo(last.plus(Duration.ofSeconds(10)));
            });
    assertThat(skipped)
        .as("every model it did not probe, by name")
        .containsExactlyInAnyOrderElementsOf(enabled);
  }

  @Test
  void concurrentChecks_shareOneSweep() {
    for (String m : List.of("fake-gpt", "fake-claude", "fake-slow", "fake-complete")) {
      models.behave(m, ModelBehaviour.healthy().withDelay(300));
    }
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Response>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return api.post("/api/models/health/check", null);
              }));
    }
    go.countDown();
    List<Response> responses = calls.stream().map(CompletableFuture::join).toList();

    assertThat(responses).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    assertThat(models.calls("fake-gpt")).as("four calls, one probe").hasSize(1);
    assertThat(models.calls("fake-claude")).hasSize(1);
    assertThat(HealthItems.historyCount(table, "primary")).isEqualTo(1);
  }

  @Test
  void oneModel_withItsHistory() {
    api.post("/api/models/health/check", null);
    Response r = api.get("/api/models/health/backup");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text("name")).isEqualTo("backup");
    assertThat(r.text("status")).isEqualTo("healthy");
    JsonNode history = r.json().get("history");
    assertThat(history.size()).isEqualTo(1);
    assertThat(history.get(0).get("ok").getBooleanValue()).isTrue();
    assertThat(history.get(0).get("status").getStringValue()).isEqualTo("healthy");
    assertThat(history.get(0).get("checkedAt").getStringValue()).isEqualTo(r.text("lastCheck"));
  }

  @Test
  void unknownModel_is404Problem() {
    Response r = api.get("/api/models/health/nope");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.text("detail")).contains("nope");
  }

  @Test
  void wrongMethod_is405Problem_andChangesNothing() {
    Response r = api.send("DELETE", "/api/models/health", null, Map.of(), null);
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(models.calls()).isEmpty();
  }

  @Test
  void config_masksEveryKey() {
    Response r = api.get("/api/models/config");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).doesNotContain(OPENAI_KEY).doesNotContain(ANTHROPIC_KEY);
    Map<String, JsonNode> byName = new HashMap<>();
    r.json().values().forEach(m -> byName.put(m.get("name").getStringValue(), m));
    JsonNode primary = byName.get("primary");
    assertThat(primary.get("apiKey").getStringValue()).isEqualTo("sk-…3210");
    assertThat(primary.get("provider").getStringValue()).isEqualTo("openai-compatible");
    assertThat(primary.get("baseUrl").getStringValue()).isEqualTo(models.apiBase("fake-gpt"));
    assertThat(primary.get("model").getStringValue()).isEqualTo("fake-gpt");
    assertThat(primary.get("weight").getDoubleValue()).isEqualTo(1.0);
    assertThat(primary.get("enabled").getBooleanValue()).isTrue();
    assertThat(byName.get("backup").get("apiKey").getStringValue()).isEqualTo("sk-…6789");
    assertThat(byName.get("off").get("enabled").getBooleanValue()).isFalse();
    List<String> fields = new ArrayList<>();
    primary.entries().forEach(e -> fields.add(e.getKey()));
    assertThat(fields)
        .containsExactly("name", "provider", "baseUrl", "model", "apiKey", "weight", "enabled");
  }
}
