package io.stepwise.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Percentiles from summed latency buckets, and a window's figures added up per pipeline. */
class LatencySketchTest {

  @Test
  void aPercentile_isTheUpperBoundOfTheBucketItFallsIn() {
    long[] counts = new long[LatencySketch.SIZE];
    for (long ms : new long[] {10, 20, 40, 90, 90, 180, 180, 180, 900, 9000}) {
      counts[LatencySketch.bucket(ms)]++;
    }
    assertThat(LatencySketch.percentile(counts, 0.5)).isEqualTo(100);
    assertThat(LatencySketch.percentile(counts, 0.95)).isEqualTo(10000);
    assertThat(LatencySketch.percentile(new long[LatencySketch.SIZE], 0.5)).isNull();
    counts[LatencySketch.bucket(500_000)] += 100;
    assertThat(LatencySketch.percentile(counts, 0.95)).isEqualTo(120000);
  }

  @Test
  void aWindowsFigures_addUpItsBuckets_onlyThePipelineAskedFor() {
    long[] fast = new long[LatencySketch.SIZE];
    fast[LatencySketch.bucket(80)] = 3;
    List<UsageBucket> buckets =
        List.of(
            new UsageBucket(
                "paper-digest", 4, 3, Map.of("TransientStepException", 1L), 360, 240, 0.0002, fast),
            new UsageBucket(
                "research-report", 2, 1, Map.of("RateLimitedException", 1L), 120, 80, 0.0001, fast),
            new UsageBucket(
                "paper-digest", 1, 0, Map.of("TransientStepException", 1L), 0, 0, 0, new long[0]));
    ModelUsageStats.ModelUsage all = ModelUsageStats.sum("m", buckets, null);
    assertThat(all.calls()).isEqualTo(7);
    assertThat(all.failures())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("TransientStepException", 2L, "RateLimitedException", 1L));
    assertThat(all.latencyMs().p50()).isEqualTo(100);
    ModelUsageStats.ModelUsage digest = ModelUsageStats.sum("m", buckets, "paper-digest");
    assertThat(digest.calls()).isEqualTo(5);
    assertThat(digest.successes()).isEqualTo(3);
    assertThat(digest.inputTokens()).isEqualTo(360);
    assertThat(digest.costUsd()).isEqualTo(0.0002);
  }
}
