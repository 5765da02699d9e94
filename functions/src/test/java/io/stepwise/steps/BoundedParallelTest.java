package io.stepwise.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BoundedParallelTest {

  @Test
  void runsAtMostConcurrencyAtOnce_andKeepsTheItemsOrder() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Integer> items = IntStream.range(0, 12).boxed().toList();
    List<BoundedParallel.Outcome<Integer>> out =
        BoundedParallel.map(
            items,
            3,
            i -> {
              most.accumulateAndGet(running.incrementAndGet(), Math::max);
              sleep(40);
              running.decrementAndGet();
              return i * 10;
            });
    assertThat(out)
        .extracting(BoundedParallel.Outcome::value)
        .containsExactlyElementsOf(items.stream().map(i -> i * 10).toList());
    assertThat(most.get()).isEqualTo(3);
  }

  @Test
  void oneFailure_doesNotStopTheOthers() {
    AtomicInteger finished = new AtomicInteger();
    List<BoundedParallel.Outcome<Integer>> out =
        BoundedParallel.map(
            List.of(1, 2, 3, 4),
            2,
            i -> {
              if (i == 1) {
                throw new IllegalStateException("item 1");
              }
              sleep(20);
              finished.incrementAndGet();
              return i;
            });
    assertThat(out.get(0).failed()).isTrue();
    assertThat(out.get(0).error()).hasMessage("item 1");
    assertThat(finished.get()).isEqualTo(3);
    assertThat(out.subList(1, 4))
        .extracting(BoundedParallel.Outcome::value)
        .containsExactly(2, 3, 4);
  }

  @Test
  void leavesNoThreadRunning() throws Exception {
    BoundedParallel.map(List.of(1, 2, 3), 3, i -> i);
    Thread.sleep(50);
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("step-item") && t.isAlive());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
