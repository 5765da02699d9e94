package io.stepwise.usage;

/**
 * Latencies counted in fixed buckets (upper bounds in ms below; the last is open), so that buckets
 * of many hours add up and a percentile is read from the sum: the upper bound of the bucket the
 * percentile falls in (the last bucket's lower bound when it falls there).
 */
public final class LatencySketch {

  static final long[] BOUNDS = {
    25, 50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 20000, 30000,
    60000, 120000
  };

  /** Number of buckets: one per bound and one for anything longer. */
  public static final int SIZE = BOUNDS.length + 1;

  private LatencySketch() {}

  /** The bucket a latency falls in. */
  public static int bucket(long latencyMs) {
    for (int i = 0; i < BOUNDS.length; i++) {
      if (latencyMs <= BOUNDS[i]) {
        return i;
      }
    }
    return BOUNDS.length;
  }

  /** The {@code q} percentile (0–1) of the counted latencies, or null when none were counted. */
  public static Long percentile(long[] counts, double q) {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    if (n == 0) {
      return null;
    }
    long rank = (long) Math.ceil(q * n);
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return i < BOUNDS.length ? BOUNDS[i] : BOUNDS[BOUNDS.length - 1];
      }
    }
    return BOUNDS[BOUNDS.length - 1];
  }
}
