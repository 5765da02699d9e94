package io.stepwise.usage;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code GET /api/models/usage}: each configured model's calls over a window, added up from its
 * buckets. {@code 1h} reads five-minute buckets, {@code 24h} and {@code 7d} hours, the current one
 * included: a window covers whole buckets, so it reaches back up to one bucket further.
 */
@Singleton
public class ModelUsageStats {

  /** The windows offered. */
  public enum Window {
    HOUR("1h", Duration.ofHours(1), ModelUsageStore.Grain.FIVE_MINUTES),
    DAY("24h", Duration.ofHours(24), ModelUsageStore.Grain.HOUR),
    WEEK("7d", Duration.ofDays(7), ModelUsageStore.Grain.HOUR);

    final String label;
    final Duration length;
    final ModelUsageStore.Grain grain;

    Window(String label, Duration length, ModelUsageStore.Grain grain) {
      this.label = label;
      this.length = length;
      this.grain = grain;
    }

    public static Optional<Window> parse(String label) {
      for (Window w : values()) {
        if (w.label.equals(label)) {
          return Optional.of(w);
        }
      }
      return Optional.empty();
    }
  }

  /** The answer. */
  @Serdeable
  public record Overview(String window, @Nullable String pipeline, List<ModelUsage> models) {}

  /** One model's figures; {@code latencyMs} of answered calls, its values null when none. */
  @Serdeable
  public record ModelUsage(
      String name,
      long calls,
      long successes,
      Map<String, Long> failures,
      long inputTokens,
      long outputTokens,
      double costUsd,
      Latency latencyMs) {}

  /** Percentiles of the answered calls' latency, from the sketch ({@link LatencySketch}). */
  @Serdeable
  public record Latency(@Nullable Long p50, @Nullable Long p95) {}

  private final ModelUsageStore store;
  private final Clock clock;

  public ModelUsageStats(ModelUsageStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** These models (the configured ones) over the window; {@code pipeline} null for all. */
  public Overview over(Window window, @Nullable String pipeline, List<String> names) {
    Instant now = clock.instant();
    List<ModelUsage> models =
        names.stream()
            .map(
                name ->
                    sum(
                        name,
                        store.read(name, window.grain, now.minus(window.length), now),
                        pipeline))
            .toList();
    return new Overview(window.label, pipeline, models);
  }

  static ModelUsage sum(String name, List<UsageBucket> buckets, @Nullable String pipeline) {
    long calls = 0;
    long successes = 0;
    long in = 0;
    long out = 0;
    double usd = 0;
    long[] latency = new long[LatencySketch.SIZE];
    Map<String, Long> failures = new TreeMap<>();
    for (UsageBucket b : buckets) {
      if (pipeline != null && !pipeline.equals(b.pipeline())) {
        continue;
      }
      calls += b.calls();
      successes += b.successes();
      in += b.inputTokens();
      out += b.outputTokens();
      usd += b.costUsd();
      b.failures().forEach((kind, n) -> failures.merge(kind, n, Long::sum));
      for (int i = 0; i < latency.length && i < b.latency().length; i++) {
        latency[i] += b.latency()[i];
      }
    }
    return new ModelUsage(
        name,
        calls,
        successes,
        failures,
        in,
        out,
        BigDecimal.valueOf(usd).setScale(8, RoundingMode.HALF_UP).doubleValue(),
        new Latency(
            LatencySketch.percentile(latency, 0.5), LatencySketch.percentile(latency, 0.95)));
  }
}
