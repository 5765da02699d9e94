package io.stepwise.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepwise.model.Usage;
import io.stepwise.steps.BoundedParallel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Calls made for items on the bounded-parallel helper's threads are each item's and all the
 * invocation's: nothing lost, nothing counted twice.
 */
class UsageScopeTest {

  private static Usage call(int in) {
    return new Usage(1, in, 10, in / 1_000_000d, 0);
  }

  @Test
  void itemsOnParallelThreads_addUpToTheInvocation_eachItemSeeingOnlyItsOwnCalls() {
    Map<Integer, Usage> perItem = new ConcurrentHashMap<>();
    try (UsageScope invocation = UsageScope.invocation("p")) {
      UsageScope.record(call(1)); // a call outside any item (a plan, say)
      BoundedParallel.mapAll(
          List.of(1, 2, 3, 4, 5, 6),
          3,
          n -> {
            for (int i = 0; i < n; i++) {
              UsageScope.record(call(100));
            }
            perItem.put(n, UsageScope.currentItem());
            return n;
          });
      Usage total = invocation.total();
      assertThat(total.calls()).isEqualTo(1 + 21);
      assertThat(total.inputTokens()).isEqualTo(1 + 2100);
      for (int n = 1; n <= 6; n++) {
        assertThat(perItem.get(n).calls()).as("item %s", n).isEqualTo(n);
      }
      assertThat(UsageScope.currentItem()).as("no item outside the items").isEqualTo(Usage.NONE);
    }
    assertThat(UsageScope.current()).as("closed").isNull();
  }

  @Test
  void aCallOutsideAnyScope_isCountedNowhere() {
    UsageScope.record(call(5));
    assertThat(UsageScope.current()).isNull();
  }
}
