package io.stepwise.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.health.HealthStatus;
import io.stepwise.health.ModelHealth;
import io.stepwise.testing.ApiClient;
import io.stepwise.testing.HealthItems;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keys named by {@code api-key-secret}, read through the AWS SDK from a server speaking Secrets
 * Manager's protocol. A throttled secret has a class of its own ({@link ThrottledSecretIT}).
 */
@MicronautTest(environments = "test")
class SecretsManagerKeysIT extends SecretsManagerModels {

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = super.getProperties();
    p.put("stepwise.models.vaulted.base-url", models.apiBase("fake-vault"));
    p.put("stepwise.models.vaulted.model", "fake-vault");
    p.put("stepwise.models.vaulted.api-key-secret", "stepwise/openai");
    p.put("stepwise.models.lost.base-url", models.apiBase("fake-lost"));
    p.put("stepwise.models.lost.model", "fake-lost");
    p.put("stepwise.models.lost.api-key-secret", "stepwise/missing");
    return p;
  }

  @BeforeEach
  void secret() {
    HealthItems.clear(table, "vaulted", "lost");
    secrets.put("stepwise/openai", OPENAI_KEY);
    models.requireKey(OPENAI_KEY);
  }

  @AfterEach
  void anyKey() {
    models.requireKey(null);
  }

  @Test
  void keyFromTheSecret_isSentToTheProvider_andReadOncePerCacheWindow() {
    sweep.sweep();
    sweep.sweep();

    assertThat(latest("vaulted").status())
        .as("the provider accepted the key")
        .isEqualTo(HealthStatus.HEALTHY);
    assertThat(models.calls("fake-vault")).hasSize(2).allMatch(c -> c.keyPresent());
    // Reads are counted for the whole class (this context's cache lives as long): one, however many
    // sweeps ran.
    assertThat(secrets.reads())
        .filteredOn("stepwise/openai"::equals)
        .as("cached for 5 minutes")
        .hasSize(1);
  }

  @Test
  void missingSecret_isUnhealthyAtOnce_namingTheSecretNotAKey() {
    sweep.sweep();

    ModelHealth lost = latest("lost");
    assertThat(lost.status())
        .as("a key that does not exist will not appear on retry: like a key not set")
        .isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(lost.errorCode()).isEqualTo("key_unavailable");
    assertThat(lost.errorMessage()).contains("stepwise/missing").contains("does not exist");
    assertThat(models.calls("fake-lost")).as("no request without its key").isEmpty();
  }

  @Test
  void config_showsTheSecretsKeyMasked() {
    ApiClient.Response r = new ApiClient(context).get("/api/models/config");
    assertThat(r.body()).contains("\"apiKey\":\"sk-…3210\"").doesNotContain(OPENAI_KEY);
  }
}
