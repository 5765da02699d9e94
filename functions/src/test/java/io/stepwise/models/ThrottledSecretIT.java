package io.stepwise.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.health.HealthStatus;
import io.stepwise.health.ModelHealth;
import io.stepwise.testing.HealthItems;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A key whose secret Secrets Manager throttles. A class of its own: the SDK backs off before it
 * gives up on the read (about 5 s), and {@link SecretsManagerKeysIT}'s sweeps need not wait for it.
 */
@MicronautTest(environments = "test")
class ThrottledSecretIT extends SecretsManagerModels {

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = super.getProperties();
    p.put("stepwise.models.busy.base-url", models.apiBase("fake-busy"));
    p.put("stepwise.models.busy.model", "fake-busy");
    p.put("stepwise.models.busy.api-key-secret", "stepwise/busy");
    return p;
  }

  @BeforeEach
  void throttled() {
    HealthItems.clear(table, "busy");
    secrets.put("stepwise/busy", "sk-busy-0000");
    secrets.throttle("stepwise/busy");
  }

  @Test
  void throttledSecret_isOneFailedProbe_notAMissingKey() {
    sweep.sweep();

    ModelHealth busy = latest("busy");
    assertThat(busy.status())
        .as("Secrets Manager may answer the next read: counted like any failed probe")
        .isEqualTo(HealthStatus.DEGRADED);
    assertThat(busy.errorCode()).isEqualTo("secret_unreadable");
    assertThat(busy.errorMessage()).contains("stepwise/busy").contains("Throttling");
    assertThat(models.calls("fake-busy")).as("no request without its key").isEmpty();
  }
}
