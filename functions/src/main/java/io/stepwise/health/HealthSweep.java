package io.stepwise.health;

import io.stepwise.models.ModelCatalog;
import io.stepwise.models.ModelSpec;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One health sweep: read every enabled model's latest state (one BatchGetItem), probe those not
 * checked within the minimum gap all at once, and store each result as soon as its probe ends. The
 * sweep lasts as long as the slowest probe, which the probe timeout bounds.
 *
 * <p>Safe to run twice at once: within this instance concurrent callers share the sweep in flight;
 * across instances each result is a conditional write on the state that was read, so one result per
 * model is kept and the losing sweep reports the winner's.
 */
@Singleton
public class HealthSweep {

  private static final Logger LOG = LoggerFactory.getLogger(HealthSweep.class);

  private final ModelCatalog catalog;
  private final HealthStore store;
  private final ModelProber prober;
  private final HealthConfig config;
  private final HealthRules rules;
  private final Clock clock;
  private final List<HealthChanges> listeners;
  private final ExecutorService writers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "health-write");
            t.setDaemon(true);
            return t;
          });
  private final AtomicReference<CompletableFuture<SweepReport>> inFlight = new AtomicReference<>();

  /** A sweep nobody is told the changes of (tests, benchmarks). */
  public HealthSweep(
      ModelCatalog catalog,
      HealthStore store,
      ModelProber prober,
      HealthConfig config,
      Clock clock) {
    this(catalog, store, prober, config, clock, List.of());
  }

  @Inject
  public HealthSweep(
      ModelCatalog catalog,
      HealthStore store,
      ModelProber prober,
      HealthConfig config,
      Clock clock,
      List<HealthChanges> listeners) {
    this.listeners = List.copyOf(listeners);
    this.catalog = catalog;
    this.store = store;
    this.prober = prober;
    this.config = config;
    this.rules = new HealthRules(config);
    this.clock = clock;
  }

  /** Runs a sweep, or waits for the one already running here and returns its report. */
  public SweepReport sweep() {
    CompletableFuture<SweepReport> mine = new CompletableFuture<>();
    CompletableFuture<SweepReport> running = inFlight.compareAndExchange(null, mine);
    if (running != null) {
      return running.join();
    }
    try {
      mine.complete(run());
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.set(null);
    }
    return mine.join();
  }

  private SweepReport run() {
    // Stored times have millisecond precision; reporting the same instant keeps reports and reads
    // equal.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    long started = System.nanoTime();
    List<ModelSpec> enabled = catalog.all().stream().filter(ModelSpec::enabled).toList();
    Map<String, ModelHealth> latest = store.latest(enabled.stream().map(ModelSpec::name).toList());
    AtomicInteger probed = new AtomicInteger();
    AtomicInteger written = new AtomicInteger();
    List<String> notProbed = new ArrayList<>();
    List<CompletableFuture<ModelHealth>> results = new ArrayList<>();
    for (ModelSpec model : enabled) {
      ModelHealth previous = latest.get(model.name());
      if (previous.checkedAt() != null
          && previous.checkedAt().isAfter(now.minus(config.minGap()))) {
        results.add(CompletableFuture.completedFuture(previous));
        notProbed.add(model.name());
        continue;
      }
      probed.incrementAndGet();
      results.add(
          prober
              .probe(model, config.probeTimeout())
              .thenApplyAsync(probe -> store(previous, probe, now, written), writers));
    }
    List<ModelHealth> models = results.stream().map(CompletableFuture::join).toList();
    long durationMs = (System.nanoTime() - started) / 1_000_000;
    SweepReport report =
        new SweepReport(
            now,
            durationMs,
            probed.get(),
            written.get(),
            notProbed.size(),
            List.copyOf(notProbed),
            models);
    LOG.info(
        "health sweep: {} probed, {} written, {} fresh enough to skip, {} ms",
        report.probed(),
        report.written(),
        report.fresh(),
        durationMs);
    return report;
  }

  private ModelHealth store(
      ModelHealth previous, ProbeResult probe, Instant now, AtomicInteger written) {
    ModelHealth next = rules.next(previous, probe, now);
    if (store.record(next, previous.checkedAt(), rules.record(next, probe))) {
      written.incrementAndGet();
      if (HealthChanges.isChange(previous.status(), next.status())) {
        announce(previous, next);
      }
      return next;
    }
    // Another sweep stored its result first: report that one, ours is dropped.
    return store.latest(List.of(previous.name())).get(previous.name());
  }

  /** One log line per change, then every listener; a listener's failure never fails the sweep. */
  private void announce(ModelHealth previous, ModelHealth next) {
    String reason = next.errorCode() == null ? "" : " (" + next.errorCode() + ")";
    if (next.status() == HealthStatus.HEALTHY) {
      LOG.info(
          "model {} is {} again, was {}",
          next.name(),
          next.status().wire(),
          previous.status().wire());
    } else {
      LOG.warn(
          "model {} changed from {} to {}{}",
          next.name(),
          previous.status().wire(),
          next.status().wire(),
          reason);
    }
    for (HealthChanges listener : listeners) {
      try {
        listener.changed(previous, next);
      } catch (RuntimeException e) {
        // The result is stored; telling others about it is best effort (the alerts function still
        // sees the status on its next evaluation), and one listener must not starve the next.
        LOG.warn(
            "model {}: {} was not told of its change: {}",
            next.name(),
            listener.getClass().getSimpleName(),
            e.toString());
      }
    }
  }

  @PreDestroy
  void close() {
    writers.shutdownNow();
  }
}
