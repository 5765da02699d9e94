package io.stepwise.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.stepwise.model.Usage;
import io.stepwise.testing.LocalDynamo;
import io.stepwise.usage.ModelCallRecord;
import io.stepwise.usage.ModelUsageStore;
import io.stepwise.usage.UsageBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Model usage buckets against DynamoDB Local: calls recorded at once from many threads into the
 * same buckets all count (atomic ADDs), in both grains, and a window reads its buckets only.
 */
class DynamoModelUsageStoreIT {

  private final DynamoModelUsageStore store =
      new DynamoModelUsageStore(
          LocalDynamo.client(),
          new StoreConfig(
              LocalDynamo.newTable(), Duration.ofDays(30), Duration.ofHours(24), 4096, 358400));

  @Test
  void manyCallsAtOnce_intoOneBucket_areAllCounted() throws Exception {
    Instant at = Instant.parse("2026-12-06T18:41:10Z");
    int threads = 8;
    int each = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(
          pool.submit(
              () -> {
                go.await();
                for (int i = 0; i < each; i++) {
                  boolean ok = (thread + i) % 5 != 0;
                  store.record(
                      new ModelCallRecord(
                          "m",
                          "paper-digest",
                          at.plusSeconds(i),
                          100 + i,
                          ok ? new Usage(1, 120, 80, 0.000066, 0) : null,
                          ok ? null : "TransientStepException"));
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();

    for (ModelUsageStore.Grain grain : ModelUsageStore.Grain.values()) {
      List<UsageBucket> buckets = store.read("m", grain, at.minusSeconds(3600), at.plusSeconds(60));
      long calls = buckets.stream().mapToLong(UsageBucket::calls).sum();
      long ok = buckets.stream().mapToLong(UsageBucket::successes).sum();
      long failed =
          buckets.stream()
              .mapToLong(b -> b.failures().getOrDefault("TransientStepException", 0L))
              .sum();
      assertThat(calls).as("%s", grain).isEqualTo(threads * each);
      assertThat(ok + failed).isEqualTo(calls);
      assertThat(failed).isEqualTo(40);
      assertThat(buckets.stream().mapToLong(UsageBucket::inputTokens).sum()).isEqualTo(ok * 120);
      assertThat(buckets.stream().mapToDouble(UsageBucket::costUsd).sum())
          .isCloseTo(ok * 0.000066, within(1e-9));
    }
    assertThat(
            store.read(
                "m",
                ModelUsageStore.Grain.FIVE_MINUTES,
                at.plus(Duration.ofMinutes(10)),
                at.plus(Duration.ofMinutes(70))))
        .as("a later window")
        .isEmpty();
  }
}
