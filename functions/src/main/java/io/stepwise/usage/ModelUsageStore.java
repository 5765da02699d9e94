package io.stepwise.usage;

import java.time.Instant;
import java.util.List;

/**
 * Per-model call statistics in time buckets (docs/architecture.md, "State table": {@code
 * USAGE#<model>}).
 */
public interface ModelUsageStore {

  /** Bucket sizes: five minutes (for the last hour) and hours (for a day or a week). */
  enum Grain {
    FIVE_MINUTES,
    HOUR
  }

  /** Adds one call to its buckets (both grains). */
  void record(ModelCallRecord call);

  /**
   * The model's buckets of this grain from the one holding {@code from} to the one holding {@code
   * to}.
   */
  List<UsageBucket> read(String model, Grain grain, Instant from, Instant to);
}
