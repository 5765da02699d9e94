package io.stepwise.health;

import io.micronaut.context.annotation.Value;
import io.stepwise.model.Times;
import io.stepwise.models.ModelCatalog;
import io.stepwise.models.ModelLoad;
import io.stepwise.models.ModelSelector;
import io.stepwise.models.ModelSpec;
import io.stepwise.models.RoutingStrategy;
import io.stepwise.steps.errors.ModelOutputIncompleteException;
import io.stepwise.steps.errors.RateLimitedException;
import io.stepwise.steps.errors.StepException;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.steps.errors.TransientStepException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * Health-aware routing. Available models are the enabled ones that are not {@code unhealthy} and
 * not in cooldown. The first choice is picked among them by the call's {@link RoutingStrategy}
 * ({@link Strategies}): for {@code score} the available healthy or degraded model with the best
 * {@link RouterScore}; for the others among the available healthy or degraded models and the
 * chain's never-checked ones. After it come the configured chain ({@code stepwise.routing.primary},
 * then {@code fallbacks}) and then the other scored models. A model never checked ({@code unknown})
 * is otherwise tried only through the chain, so a fresh deployment works before the first sweep. No
 * available model while one or more cool down after a 429 is a {@link RateLimitedException} naming
 * the wait until the first of those comes back (a rate limit, not a failure: the caller waits that
 * long); none available for any other reason is a {@link TransientStepException}. Which cooldowns
 * came from a 429 this instance knows from its own calls: the stored cooldown has no reason, and a
 * cooldown after a timeout or a malformed answer is no rate limit.
 *
 * <p>Health is read from the state table on every call (one BatchGetItem per paper), so a cooldown
 * set by one analyze invocation is seen by every other at once.
 */
@Singleton
public class HealthAwareSelector implements ModelSelector {

  private final ModelCatalog catalog;
  private DailySpend dailySpend;
  private final HealthStore store;
  private final HealthConfig config;
  private final Clock clock;
  private final List<String> platformChain;
  private final Strategies strategies;
  private final double timeScale;
  private final Map<String, Instant> rateLimitedUntil = new ConcurrentHashMap<>();

  /** At time scale 1. */
  public HealthAwareSelector(
      ModelCatalog catalog,
      HealthStore store,
      HealthConfig config,
      Clock clock,
      ModelLoad load,
      String primary,
      List<String> fallbacks) {
    this(catalog, store, config, clock, load, primary, fallbacks, 1);
  }

  /**
   * @param timeScale the workflow's time scale: a cooldown runs at it like every other wait (a
   *     Retry-After of 40 s cools a model down for 4 s at 0.1), and the wait a {@link
   *     RateLimitedException} names is in the provider's seconds again
   */
  @Inject
  public HealthAwareSelector(
      ModelCatalog catalog,
      HealthStore store,
      HealthConfig config,
      Clock clock,
      ModelLoad load,
      @Value("${stepwise.routing.primary}") String primary,
      @Value("${stepwise.routing.fallbacks:}") List<String> fallbacks,
      @Value("${stepwise.workflow.time-scale:1}") double timeScale) {
    this.timeScale = timeScale;
    this.catalog = catalog;
    this.store = store;
    this.config = config;
    this.clock = clock;
    List<String> names = new ArrayList<>();
    names.add(primary);
    names.addAll(fallbacks);
    this.platformChain = names.stream().filter(n -> !n.isBlank()).toList();
    this.strategies = new Strategies(load);
    for (String name : platformChain) {
      catalog
          .find(name)
          .orElseThrow(
              () -> new IllegalStateException("stepwise.routing names unknown model " + name));
    }
  }

  /**
   * Models over their {@code daily-cap-usd} are passed over (reason {@code budget}); without it (a
   * selector built by hand) none is capped.
   */
  @Inject
  void dailySpend(DailySpend dailySpend) {
    this.dailySpend = dailySpend;
  }

  @Override
  public List<Choice> candidates(RoutingStrategy strategy, List<String> callChain) {
    List<String> chain = callChain.isEmpty() ? platformChain : callChain;
    for (String name : callChain) {
      if (catalog.find(name).isEmpty()) {
        throw new TerminalStepException("the step's model chain names unknown model " + name);
      }
    }
    ToIntFunction<ModelSpec> chainPosition = m -> position(chain, m);
    List<ModelSpec> enabled = catalog.all().stream().filter(ModelSpec::enabled).toList();
    if (enabled.isEmpty()) {
      throw new TerminalStepException("no enabled model is configured");
    }
    Instant now = clock.instant();
    Map<String, ModelHealth> health = store.latest(enabled.stream().map(ModelSpec::name).toList());
    Map<String, String> capped = new LinkedHashMap<>();
    if (dailySpend != null) {
      enabled.forEach(m -> dailySpend.capped(m.name()).ifPresent(why -> capped.put(m.name(), why)));
    }
    List<ModelSpec> scored =
        enabled.stream()
            .filter(m -> !capped.containsKey(m.name()) && available(health.get(m.name()), now))
            .filter(
                m ->
                    health.get(m.name()).status() == HealthStatus.HEALTHY
                        || health.get(m.name()).status() == HealthStatus.DEGRADED)
            .sorted(
                Comparator.comparingDouble(
                        (ModelSpec m) ->
                            -RouterScore.of(m, health.get(m.name()), config.costReference()))
                    .thenComparingInt(chainPosition))
            .toList();
    Set<ModelSpec> order = new LinkedHashSet<>();
    if (strategy == RoutingStrategy.SCORE) {
      if (!scored.isEmpty()) {
        order.add(choose(scored, health, chainPosition));
      }
    } else {
      List<ModelSpec> pool =
          enabled.stream()
              .filter(m -> !capped.containsKey(m.name()) && available(health.get(m.name()), now))
              .filter(
                  m ->
                      health.get(m.name()).status() != HealthStatus.UNKNOWN
                          || chain.contains(m.name()))
              .sorted(Comparator.comparingInt(chainPosition))
              .toList();
      if (!pool.isEmpty()) {
        order.add(strategies.pick(strategy, pool, health, chainPosition));
      }
    }
    chain.stream()
        .map(n -> catalog.find(n).orElseThrow())
        .filter(
            m ->
                m.enabled()
                    && !capped.containsKey(m.name())
                    && available(health.get(m.name()), now))
        .forEach(order::add);
    order.addAll(scored);
    if (order.isEmpty()) {
      String why = "no model is available now: " + why(enabled, health, capped, now);
      Instant firstBack =
          enabled.stream()
              .filter(
                  m ->
                      health.get(m.name()).coolingDown(now)
                          && rateLimitedUntil.getOrDefault(m.name(), Instant.MIN).isAfter(now))
              .map(m -> health.get(m.name()).cooldownUntil())
              .min(Comparator.naturalOrder())
              .orElse(null);
      if (firstBack != null) {
        throw new RateLimitedException(
            why,
            Duration.ofMillis(Math.round(Duration.between(now, firstBack).toMillis() / timeScale)));
      }
      throw new TransientStepException(why);
    }
    List<Choice> choices = new ArrayList<>();
    for (ModelSpec m : order) {
      choices.add(new Choice(m, choices.isEmpty() ? "chosen" : "fallback"));
    }
    return choices;
  }

  /**
   * Puts a model that failed during a task in cooldown, so the next paper goes elsewhere: for a 429
   * as long as Retry-After says, otherwise {@code cooldown}; never longer than {@code maxCooldown}.
   * Incomplete output is not the model being unavailable (the answer hit the token cap), so it
   * cools nothing down.
   */
  @Override
  public void reportFailure(ModelSpec model, StepException error) {
    if (error instanceof ModelOutputIncompleteException) {
      return;
    }
    Duration wait =
        error instanceof RateLimitedException limited
            ? limited.retryAfter().orElse(config.cooldown())
            : config.cooldown();
    if (wait.compareTo(config.maxCooldown()) > 0) {
      wait = config.maxCooldown();
    }
    if (!wait.isZero() && !wait.isNegative()) {
      Instant until = clock.instant().plusMillis(Math.round(wait.toMillis() * timeScale));
      store.coolDown(model.name(), until);
      if (error instanceof RateLimitedException) {
        rateLimitedUntil.merge(model.name(), until, (a, b) -> a.isAfter(b) ? a : b);
      } else {
        rateLimitedUntil.remove(model.name()); // its latest failure was no rate limit
      }
    }
  }

  /**
   * The best score wins, but scores within {@link RouterScore#TIE} of it count as a tie broken by
   * the configured chain: otherwise millisecond noise between two healthy models would flip the
   * choice from one probe to the next.
   */
  private ModelSpec choose(
      List<ModelSpec> scored,
      Map<String, ModelHealth> health,
      ToIntFunction<ModelSpec> chainPosition) {
    double best =
        RouterScore.of(scored.get(0), health.get(scored.get(0).name()), config.costReference());
    return scored.stream()
        .filter(
            m ->
                RouterScore.of(m, health.get(m.name()), config.costReference())
                    >= best * (1 - RouterScore.TIE))
        .min(Comparator.comparingInt(chainPosition))
        .orElse(scored.get(0));
  }

  private static boolean available(ModelHealth health, Instant now) {
    return health.status() != HealthStatus.UNHEALTHY && !health.coolingDown(now);
  }

  private static int position(List<String> chain, ModelSpec model) {
    int i = chain.indexOf(model.name());
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  /**
   * Why a model is unhealthy, as its last check said: a missing key's message says which variable
   * to set, so it is kept whole; other messages (an error body) are cut short.
   */
  private static String unhealthyBecause(ModelHealth h) {
    if (h.errorCode() == null) {
      return "";
    }
    String message = h.errorMessage();
    if (message == null || message.isBlank()) {
      return " (" + h.errorCode() + ")";
    }
    if (!message.startsWith(h.errorCode())) {
      message = h.errorCode() + ": " + message;
    }
    return " (" + (message.length() > 160 ? message.substring(0, 159) + "…" : message) + ")";
  }

  private static String why(
      List<ModelSpec> enabled,
      Map<String, ModelHealth> health,
      Map<String, String> capped,
      Instant now) {
    List<String> reasons = new ArrayList<>();
    for (ModelSpec m : enabled) {
      ModelHealth h = health.get(m.name());
      if (capped.containsKey(m.name())) {
        reasons.add(m.name() + " " + capped.get(m.name()));
      } else if (h.coolingDown(now)) {
        reasons.add(m.name() + " cooling down until " + Times.format(h.cooldownUntil()));
      } else if (h.status() == HealthStatus.UNHEALTHY) {
        reasons.add(m.name() + " unhealthy" + unhealthyBecause(h));
      } else {
        reasons.add(m.name() + " not in the model chain and never checked");
      }
    }
    return String.join("; ", reasons);
  }
}
