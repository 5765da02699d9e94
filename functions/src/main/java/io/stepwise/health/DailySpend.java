package io.stepwise.health;

import io.micronaut.context.annotation.Value;
import io.stepwise.models.ModelCatalog;
import io.stepwise.usage.ModelUsageStore;
import io.stepwise.usage.UsageBucket;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A model's spend today (UTC, all tasks and pipelines) against its {@code daily-cap-usd}, read from
 * the usage buckets ({@link ModelUsageStore}, hours) and kept a while so that routing a call costs
 * no read. The router passes a capped model over with reason {@code budget}. A call already under
 * way may take a model a little past its cap: the cap is checked, not reserved.
 */
@Singleton
public class DailySpend {

  private final ModelCatalog catalog;
  private final ModelUsageStore usage;
  private final Clock clock;
  private final Duration fresh;
  private final Map<String, Read> reads = new ConcurrentHashMap<>();

  private record Read(Instant at, double spentUsd) {}

  /**
   * @param fresh how long a model's read spend is used before it is read again ({@code
   *     stepwise.usage.daily-cap-refresh}, 30 s)
   */
  public DailySpend(
      ModelCatalog catalog,
      ModelUsageStore usage,
      Clock clock,
      @Value("${stepwise.usage.daily-cap-refresh:30s}") Duration fresh) {
    this.catalog = catalog;
    this.usage = usage;
    this.clock = clock;
    this.fresh = fresh;
  }

  /** Why the model may not be called today ({@code budget: …}), or empty when it may. */
  public Optional<String> capped(String model) {
    Optional<Double> cap = catalog.dailyCapUsd(model);
    if (cap.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Read read = reads.get(model);
    if (read == null || !read.at().plus(fresh).isAfter(now)) {
      Instant midnight =
          now.atZone(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant();
      double spent =
          usage.read(model, ModelUsageStore.Grain.HOUR, midnight, now).stream()
              .mapToDouble(UsageBucket::costUsd)
              .sum();
      read = new Read(now, spent);
      reads.put(model, read);
    }
    if (read.spentUsd() < cap.get()) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "budget: $%.4f of its daily cap $%.4f spent today (UTC)",
            read.spentUsd(),
            cap.get()));
  }
}
