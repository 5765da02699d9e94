package io.stepwise.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepwise.models.ModelCatalog;
import io.stepwise.models.ModelLoad;
import io.stepwise.models.ModelProperties;
import io.stepwise.models.ModelSelector;
import io.stepwise.models.ModelSpec;
import io.stepwise.models.RoutingStrategy;
import io.stepwise.steps.errors.TerminalStepException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each routing strategy's first pick over many calls, and the skip rules they all share. */
class RoutingStrategiesTest {

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final int PICKS = 3000;

  private final MemoryHealth health = new MemoryHealth();
  private final ModelLoad load = new ModelLoad(0.3);

  /**
   * Models a (weight 3, cost 0.02), b (weight 1, cost 0.001), c (weight 1, cost 0.01); chain a → b
   * → c.
   */
  private HealthAwareSelector router() {
    List<ModelProperties> props = new ArrayList<>();
    props.add(model("a", 3, 0.02));
    props.add(model("b", 1, 0.001));
    props.add(model("c", 1, 0.01));
    HealthConfig config =
        new HealthConfig(
            Duration.ofMinutes(1),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(2),
            3,
            0.3,
            20,
            Duration.ofHours(24),
            20,
            Duration.ofSeconds(60),
            Duration.ofMinutes(15),
            0.01);
    return new HealthAwareSelector(
        new ModelCatalog(props),
        health,
        config,
        Clock.fixed(NOW, ZoneOffset.UTC),
        load,
        "a",
        List.of("b", "c"));
  }

  private static ModelProperties model(String name, double weight, double cost) {
    ModelProperties p = new ModelProperties(name);
    p.setBaseUrl("http://127.0.0.1:9/" + name);
    p.setModel("fake-" + name);
    p.setWeight(weight);
    p.setCostPer1kTokens(cost);
    p.setMaxInFlight(4);
    return p;
  }

  private void healthy(String name, long emaMs) {
    health.put(
        new ModelHealth(
            name,
            HealthStatus.HEALTHY,
            emaMs,
            emaMs,
            1.0,
            0,
            null,
            null,
            null,
            null,
            NOW,
            null,
            "1"));
  }

  private void allHealthy() {
    healthy("a", 100);
    healthy("b", 100);
    healthy("c", 100);
  }

  private Map<String, Long> spread(HealthAwareSelector router, RoutingStrategy strategy) {
    Map<String, Long> counts = new HashMap<>();
    for (int i = 0; i < PICKS; i++) {
      counts.merge(router.candidates(strategy).get(0).model().name(), 1L, Long::sum);
    }
    return counts;
  }

  @Test
  void weightedRoundRobin_sharesPicksByWeight_interleaved() {
    allHealthy();
    HealthAwareSelector router = router();
    assertThat(spread(router, RoutingStrategy.WEIGHTED_ROUND_ROBIN))
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", 1800L, "b", 600L, "c", 600L));
    List<String> ten = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ten.add(router.candidates(RoutingStrategy.WEIGHTED_ROUND_ROBIN).get(0).model().name());
    }
    assertThat(ten)
        .as("smooth: a's three picks of five are not in a row")
        .containsExactly("a", "b", "a", "c", "a");
  }

  @Test
  void leastBusy_picksTheModelWithFewestCallsInFlight_andSpreadsTies() {
    allHealthy();
    HealthAwareSelector router = router();
    ModelSpec a = router.candidates().get(0).model();
    ModelSpec c =
        router.candidates(RoutingStrategy.COST).stream()
            .map(ModelSelector.Choice::model)
            .filter(m -> m.name().equals("c"))
            .findFirst()
            .orElseThrow();
    try (ModelLoad.Slot one = load.acquire(a, Duration.ZERO);
        ModelLoad.Slot two = load.acquire(c, Duration.ZERO)) {
      assertThat(spread(router, RoutingStrategy.LEAST_BUSY)).containsOnlyKeys("b");
    }
    Map<String, Long> ties = spread(router, RoutingStrategy.LEAST_BUSY);
    assertThat(ties.values())
        .as("all idle: at random")
        .allSatisfy(n -> assertThat(n).isBetween(800L, 1200L));
  }

  @Test
  void latency_picksTheLowestObservedEma_elseTheHealthChecks() {
    healthy("a", 900);
    healthy("b", 300);
    healthy("c", 600);
    HealthAwareSelector router = router();
    assertThat(spread(router, RoutingStrategy.LATENCY)).containsOnlyKeys("b");
    ModelSpec c =
        router.candidates(RoutingStrategy.COST).stream()
            .map(ModelSelector.Choice::model)
            .filter(m -> m.name().equals("c"))
            .findFirst()
            .orElseThrow();
    load.observe(c, 50, OptionalLong.empty());
    assertThat(spread(router, RoutingStrategy.LATENCY))
        .as("this instance's own calls count first")
        .containsOnlyKeys("c");
  }

  @Test
  void cost_picksTheCheapest() {
    allHealthy();
    assertThat(spread(router(), RoutingStrategy.COST)).containsOnlyKeys("b");
  }

  @Test
  void random_picksUniformly() {
    allHealthy();
    assertThat(spread(router(), RoutingStrategy.RANDOM).values())
        .hasSize(3)
        .allSatisfy(n -> assertThat(n).isBetween(800L, 1200L));
  }

  @Test
  void score_staysTheDefault_andPrefersTheBestScore() {
    healthy("a", 3000);
    healthy("b", 0);
    healthy("c", 3000);
    assertThat(router().candidates().get(0).model().name()).isEqualTo("b");
  }

  @Test
  void aStepsOwnChain_replacesThePlatformsOrder_andTiesGoToItsFirstModel() {
    allHealthy();
    HealthAwareSelector router = router();
    assertThat(router.candidates(RoutingStrategy.LATENCY).stream().map(c -> c.model().name()))
        .as("the platform's chain a → b → c")
        .containsExactly("a", "b", "c");
    assertThat(
            router.candidates(RoutingStrategy.LATENCY, List.of("c", "a")).stream()
                .map(c -> c.model().name()))
        .as("the step's chain c → a first, then the other healthy models")
        .containsExactly("c", "a", "b");
    assertThatThrownBy(() -> router.candidates(RoutingStrategy.SCORE, List.of("nope")))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining("unknown model nope");
  }

  @ParameterizedTest
  @EnumSource(RoutingStrategy.class)
  void everyStrategy_skipsUnhealthyAndCooledDownModels_andFallsBackAlongTheChain(
      RoutingStrategy strategy) {
    healthy("a", 100);
    health.put(
        new ModelHealth(
            "b",
            HealthStatus.UNHEALTHY,
            10L,
            10L,
            0.0,
            3,
            "http_500",
            null,
            null,
            null,
            NOW,
            null,
            "000"));
    healthy("c", 100);
    health.coolDown("a", NOW.plusSeconds(30));
    HealthAwareSelector router = router();
    for (int i = 0; i < 200; i++) {
      List<ModelSelector.Choice> choices = router.candidates(strategy);
      assertThat(choices).extracting(ch -> ch.model().name()).containsExactly("c");
      assertThat(choices.get(0).reason()).isEqualTo("chosen");
    }
  }

  @ParameterizedTest
  @EnumSource(RoutingStrategy.class)
  void everyStrategy_listsTheRestOfTheChainAfterItsPick(RoutingStrategy strategy) {
    allHealthy();
    List<ModelSelector.Choice> choices = router().candidates(strategy);
    assertThat(choices)
        .extracting(ch -> ch.model().name())
        .containsExactlyInAnyOrder("a", "b", "c");
    List<String> rest =
        choices.subList(1, 3).stream().map(ch -> ch.model().name()).collect(Collectors.toList());
    assertThat(rest)
        .as("the fallbacks keep the chain's order")
        .isSortedAccordingTo(String::compareTo);
    assertThat(choices.subList(1, 3))
        .allSatisfy(ch -> assertThat(ch.reason()).isEqualTo("fallback"));
  }

  @ParameterizedTest
  @EnumSource(RoutingStrategy.class)
  void neverCheckedChainModels_areUsableBeforeTheFirstSweep(RoutingStrategy strategy) {
    List<ModelSelector.Choice> choices = router().candidates(strategy);
    assertThat(choices)
        .extracting(ch -> ch.model().name())
        .containsExactlyInAnyOrder("a", "b", "c");
  }

  /** Health in memory, as the state table would hold it. */
  static final class MemoryHealth implements HealthStore {
    private final Map<String, ModelHealth> latest = new HashMap<>();

    void put(ModelHealth h) {
      latest.put(h.name(), h);
    }

    @Override
    public Map<String, ModelHealth> latest(Collection<String> names) {
      Map<String, ModelHealth> out = new HashMap<>();
      names.forEach(n -> out.put(n, latest.getOrDefault(n, ModelHealth.unknown(n))));
      return out;
    }

    @Override
    public boolean record(ModelHealth next, Instant previousCheckedAt, HealthCheckRecord check) {
      latest.put(next.name(), next);
      return true;
    }

    @Override
    public List<HealthCheckRecord> history(String name, int limit) {
      return List.of();
    }

    @Override
    public void coolDown(String name, Instant until) {
      latest.put(name, latest.getOrDefault(name, ModelHealth.unknown(name)).withCooldown(until));
    }
  }
}
