package io.stepwise.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.health.HealthAwareSelector;
import io.stepwise.model.Usage;
import io.stepwise.models.ModelSelector;
import io.stepwise.models.RoutingStrategy;
import io.stepwise.steps.errors.TransientStepException;
import io.stepwise.testing.LocalServicesBase;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A model with a {@code daily-cap-usd} is passed over once today's calls (all tasks) have cost that
 * much, with reason {@code budget}; a model under its cap, or without one, is not.
 */
@MicronautTest(environments = "test")
@TestMethodOrder(
    MethodOrderer.OrderAnnotation.class) // spend adds up over the class: under, then over
class DailyCapIT extends LocalServicesBase {

  @Inject HealthAwareSelector selector;
  @Inject ModelUsageStore usage;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = super.getProperties();
    for (String name : List.of("spent", "fresh")) {
      p.put("stepwise.models." + name + ".provider", "openai-compatible");
      p.put("stepwise.models." + name + ".base-url", models.apiBase());
      p.put("stepwise.models." + name + ".model", "fake-" + name);
      p.put("stepwise.models." + name + ".daily-cap-usd", "0.001");
    }
    for (String other : List.of("openai", "primary", "backup")) {
      p.put("stepwise.models." + other + ".enabled", "false");
    }
    p.put("stepwise.usage.daily-cap-refresh", "0s");
    return p;
  }

  private void spend(String model, double usd) {
    usage.record(
        new ModelCallRecord(
            model, "paper-digest", Instant.now(), 10, new Usage(1, 100, 50, usd, 0), null));
  }

  private List<String> names(List<String> chain) {
    return selector.candidates(RoutingStrategy.SCORE, chain).stream()
        .map(ModelSelector.Choice::model)
        .map(m -> m.name())
        .toList();
  }

  @Test
  @Order(1)
  void aModelOverItsDailyCap_isPassedOver_withReasonBudget() {
    spend("spent", 0.0008);
    spend("spent", 0.0004);
    spend("fresh", 0.0002);

    assertThat(names(List.of("spent", "fresh"))).contains("fresh").doesNotContain("spent");
  }

  @Test
  @Order(2)
  void withEveryModelCapped_theStepIsToldWhy() {
    spend("spent", 0.002);
    spend("fresh", 0.002);

    assertThatThrownBy(() -> names(List.of("spent", "fresh")))
        .isInstanceOf(TransientStepException.class)
        .hasMessageContaining("spent budget: $")
        .hasMessageContaining("fresh budget: $")
        .hasMessageContaining("of its daily cap $0.0010 spent today (UTC)");
  }
}
