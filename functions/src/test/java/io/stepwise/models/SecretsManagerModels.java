package io.stepwise.models;

import io.stepwise.fakes.SecretsManagerServer;
import io.stepwise.health.HealthStore;
import io.stepwise.health.HealthSweep;
import io.stepwise.health.ModelHealth;
import io.stepwise.testing.LocalServicesBase;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * Base of the tests of keys in Secrets Manager: a server speaking its protocol, the built-in models
 * off, and every probe due at each sweep; subclasses add the models whose keys it holds.
 */
abstract class SecretsManagerModels extends LocalServicesBase {

  final SecretsManagerServer secrets = SecretsManagerServer.start(0);

  @Inject HealthSweep sweep;
  @Inject HealthStore store;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = new HashMap<>(super.getProperties());
    p.put("aws.services.secretsmanager.endpoint-override", secrets.baseUrl().toString());
    p.put("stepwise.models.openai.enabled", "false");
    p.put("stepwise.models.primary.enabled", "false");
    p.put("stepwise.models.backup.enabled", "false");
    p.put("stepwise.health.min-gap", "0s");
    return p;
  }

  @AfterAll
  void stopSecrets() {
    secrets.close();
  }

  ModelHealth latest(String name) {
    return store.latest(List.of(name)).get(name);
  }
}
