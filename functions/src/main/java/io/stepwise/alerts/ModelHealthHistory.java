package io.stepwise.alerts;

import io.stepwise.health.HealthChanges;
import io.stepwise.health.ModelHealth;
import jakarta.inject.Singleton;

/**
 * Puts every model status change the health check stores into the alert history, as rule {@code
 * model-health}, event {@code changed}, with the model and both statuses (pending for the webhook
 * when one is configured). Whether the rule is active (some enabled model unhealthy) is the
 * evaluation's to decide, from the stored health.
 */
@Singleton
public class ModelHealthHistory implements HealthChanges {

  private final AlertStore store;
  private final AlertConfig config;

  public ModelHealthHistory(AlertStore store, AlertConfig config) {
    this.store = store;
    this.config = config;
  }

  @Override
  public void changed(ModelHealth before, ModelHealth after) {
    store.record(
        new Transition(
            AlertRule.MODEL_HEALTH,
            Transition.Event.CHANGED,
            after.checkedAt(),
            null,
            null,
            after.name(),
            before.status().wire(),
            after.status().wire(),
            config.webhookUrl().isPresent()));
  }
}
