package io.stepwise.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.models.ModelCatalog;
import io.stepwise.models.ModelSelector.Choice;
import io.stepwise.steps.errors.ModelOutputIncompleteException;
import io.stepwise.steps.errors.RateLimitedException;
import io.stepwise.steps.errors.TransientStepException;
import io.stepwise.testing.HealthItems;
import io.stepwise.testing.HealthStates;
import io.stepwise.testing.LocalServicesBase;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router over health stored in DynamoDB Local (chain: primary, then backup; slowpoke and
 * completer extra).
 */
@MicronautTest(environments = "test")
class HealthAwareSelectorIT extends LocalServicesBase {

  @Inject HealthAwareSelector router;
  @Inject HealthStore store;
  @Inject ModelCatalog catalog;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = HealthTestModels.properties(super.getProperties(), models);
    p.put("stepwise.models.slowpoke.weight", "2");
    p.put("stepwise.models.completer.cost-per1k-tokens", "0.01");
    p.put("stepwise.health.cooldown", "45s");
    p.put("stepwise.health.max-cooldown", "10m");
    return p;
  }

  @BeforeEach
  void freshHealth() {
    HealthItems.clear(table, HealthCheckIT.MODELS);
  }

  private List<String> order() {
    return router.candidates().stream().map(c -> c.model().name() + ":" + c.reason()).toList();
  }

  @Test
  void neverChecked_followsTheConfiguredChain() {
    assertThat(order()).containsExactly("primary:chosen", "backup:fallback");
  }

  @Test
  void picksTheBestScore_thenTheChain_thenTheOtherScoredModels() {
    HealthStates.set(
        store, "primary", HealthStatus.HEALTHY, 200, 1.0); // 1 × 1 × 1/1.2         = 0.83
    HealthStates.set(
        store, "backup", HealthStatus.DEGRADED, 100, 1.0); // 1 × 0.5 × 1/1.1       = 0.45
    HealthStates.set(
        store, "slowpoke", HealthStatus.HEALTHY, 500, 0.9); // 2 × 0.9 × 1/1.5       = 1.2
    HealthStates.set(
        store, "completer", HealthStatus.HEALTHY, 0, 1.0); // 1 × 1 × 1 × 1/(1+1)   = 0.5

    assertThat(order())
        .containsExactly(
            "slowpoke:chosen", "primary:fallback", "backup:fallback", "completer:fallback");
    assertThat(catalog.find("completer").orElseThrow().costPer1kTokens())
        .as("cost-per1k-tokens is bound")
        .isEqualTo(0.01);
  }

  @Test
  void nearlyEqualScores_areATie_wonByTheConfiguredChain() {
    HealthStates.set(store, "primary", HealthStatus.HEALTHY, 60, 1.0); // 0.943
    HealthStates.set(store, "backup", HealthStatus.HEALTHY, 5, 1.0); // 0.995: within 10 %
    assertThat(order()).containsExactly("primary:chosen", "backup:fallback");

    HealthStates.set(store, "primary", HealthStatus.HEALTHY, 400, 1.0); // 0.714: clearly worse
    assertThat(order()).containsExactly("backup:chosen", "primary:fallback");
  }

  @Test
  void skipsUnhealthyAndCoolingModels() {
    HealthStates.set(store, "primary", HealthStatus.UNHEALTHY, 0, 0.0);
    HealthStates.set(store, "backup", HealthStatus.HEALTHY, 100, 1.0);
    HealthStates.set(store, "slowpoke", HealthStatus.HEALTHY, 10, 1.0);
    store.coolDown("slowpoke", Instant.now().plusSeconds(60));

    assertThat(order()).containsExactly("backup:chosen");
  }

  @Test
  void failureDuringATask_coolsDownForRetryAfterOrTheDefault_cappedAtTheMaximum() {
    Choice primary = router.candidates().get(0);
    Instant before = Instant.now();
    router.reportFailure(primary.model(), new RateLimitedException("429", Duration.ofSeconds(120)));
    assertThat(store.latest(List.of("primary")).get("primary").cooldownUntil())
        .isBetween(before.plusSeconds(119), Instant.now().plusSeconds(120));
    assertThat(order()).as("the next paper goes elsewhere").containsExactly("backup:chosen");

    router.reportFailure(
        catalog.find("backup").orElseThrow(), new TransientStepException("HTTP 500"));
    assertThat(store.latest(List.of("backup")).get("backup").cooldownUntil())
        .isBetween(before.plusSeconds(44), Instant.now().plusSeconds(45));

    router.reportFailure(
        catalog.find("slowpoke").orElseThrow(),
        new RateLimitedException("429", Duration.ofHours(5)));
    assertThat(store.latest(List.of("slowpoke")).get("slowpoke").cooldownUntil())
        .isBefore(Instant.now().plusSeconds(601));

    router.reportFailure(
        catalog.find("completer").orElseThrow(),
        new ModelOutputIncompleteException("length", "length"));
    assertThat(store.latest(List.of("completer")).get("completer").cooldownUntil())
        .as("truncation is not unavailability")
        .isNull();
  }

  @Test
  void aShorterCooldown_doesNotShortenALongerOne() {
    Instant far = Instant.now().plusSeconds(500);
    store.coolDown("primary", far);
    store.coolDown("primary", Instant.now().plusSeconds(5));
    assertThat(store.latest(List.of("primary")).get("primary").cooldownUntil())
        .isEqualTo(far.truncatedTo(ChronoUnit.MILLIS));
  }

  @Test
  void noModelAvailableWhileOneCoolsDown_isARateLimit_namingWhyAndTheWait() {
    HealthStates.set(store, "primary", HealthStatus.UNHEALTHY, 0, 0.0);
    router.reportFailure(
        catalog.find("backup").orElseThrow(),
        new RateLimitedException("429", Duration.ofSeconds(60)));

    assertThatThrownBy(this::order)
        .isInstanceOf(RateLimitedException.class)
        .hasMessageContaining("no model is available")
        .hasMessageContaining("primary unhealthy (http_503: HTTP 503)")
        .hasMessageContaining("backup cooling down until")
        .satisfies(
            e ->
                assertThat(((RateLimitedException) e).retryAfter().orElseThrow())
                    .isBetween(Duration.ofSeconds(55), Duration.ofSeconds(60)))
        .hasMessageMatching("(?s).*\\(retry after (59|60) s\\)$");
  }

  @Test
  void noModelAvailableWhileOneCoolsDownAfterAFailureThatWasNoRateLimit_isTransient() {
    HealthStates.set(store, "primary", HealthStatus.UNHEALTHY, 0, 0.0);
    router.reportFailure(
        catalog.find("backup").orElseThrow(), new TransientStepException("timed out"));

    assertThatThrownBy(this::order)
        .isInstanceOf(TransientStepException.class)
        .hasMessageContaining("backup cooling down until")
        .hasMessageNotContaining("retry after");
  }

  @Test
  void noModelAvailableAndNoneCoolingDown_isTransient_namingWhy() {
    for (String name : List.of("primary", "backup", "completer", "slowpoke")) {
      HealthStates.set(store, name, HealthStatus.UNHEALTHY, 0, 0.0);
    }

    assertThatThrownBy(this::order)
        .isInstanceOf(TransientStepException.class)
        .hasMessageContaining("no model is available")
        .hasMessageContaining("primary unhealthy (http_503: HTTP 503)")
        .hasMessageNotContaining("retry after");
  }
}
