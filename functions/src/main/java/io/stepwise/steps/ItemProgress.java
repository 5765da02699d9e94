package io.stepwise.steps;

import io.micronaut.serde.annotation.Serdeable;
import io.stepwise.model.ItemPlan;
import io.stepwise.model.StepState;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * How far a per-item step has got in its current run: {@code done} of the {@code total} items its
 * plan names already have a kept record (reused from an earlier attempt or written in this one).
 */
@Serdeable
public record ItemProgress(int done, int total) {

  /**
   * The progress of {@code state}'s run, from the step's item record keys ({@code
   * <step>/<itemKey>}, as in {@link io.stepwise.model.TaskRecord#items()}) and the plans they
   * carry; empty when no plan of that run is stored (the step keeps no items, or has written none
   * yet in this run).
   */
  public static Optional<ItemProgress> of(
      String step, StepState state, Set<String> itemKeys, Collection<ItemPlan> plans) {
    if (state == null || state.runId() == null) {
      return Optional.empty();
    }
    return plans.stream()
        .filter(
            p ->
                p.step().equals(step) && p.runId().equals(state.runId()) && !p.itemKeys().isEmpty())
        .findFirst()
        .map(
            p ->
                new ItemProgress(
                    (int)
                        p.itemKeys().stream()
                            .filter(k -> itemKeys.contains(step + "/" + k))
                            .count(),
                    p.itemKeys().size()));
  }
}
