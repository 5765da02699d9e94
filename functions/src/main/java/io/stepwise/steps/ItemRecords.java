package io.stepwise.steps;

import io.stepwise.model.ItemPlan;
import io.stepwise.model.Step;
import java.util.List;
import java.util.Set;

/** Reads one step's item records without their results: enough for {@link ItemProgress}. */
public interface ItemRecords {

  /**
   * One Query of the step's item records: their keys ({@code <step>/<itemKey>}) and the plans they
   * carry.
   */
  Marks read(String taskId, Step step);

  /** The keys and plans of one step's item records. */
  record Marks(Set<String> keys, List<ItemPlan> plans) {}
}
