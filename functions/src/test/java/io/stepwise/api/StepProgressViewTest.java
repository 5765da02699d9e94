package io.stepwise.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepwise.model.ItemPlan;
import io.stepwise.model.Pipelines;
import io.stepwise.model.Run;
import io.stepwise.model.StepState;
import io.stepwise.model.Task;
import io.stepwise.model.TaskRecord;
import io.stepwise.model.TaskStatus;
import io.stepwise.steps.ItemProgress;
import io.stepwise.steps.ItemRecords;
import io.stepwise.testing.RulesTestPipeline;
import io.stepwise.testing.TaskFixtures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code steps[].progress}: the items of the step's plan for its current run that have a kept
 * record, shown only while the step runs (or waits for its next attempt) and only when such a plan
 * is stored.
 */
class StepProgressViewTest {

  private static final String GATHER = RulesTestPipeline.GATHER;
  private final TaskViews views =
      new TaskViews(TaskFixtures.CLOCK, Pipelines.of(List.of(new RulesTestPipeline())), 1);

  private static Task task(TaskStatus status, StepState gather, Run... runs) {
    Run[] all =
        runs.length == 0 ? new Run[] {TaskFixtures.run("t-1", 0, GATHER, status, 0, 0)} : runs;
    return TaskFixtures.task("t-1", status, all).steps(Map.of(GATHER, gather)).build();
  }

  private static Map<String, String> kept(String... keys) {
    Map<String, String> items = new HashMap<>();
    for (String key : keys) {
      items.put(GATHER + "/" + key, "{}");
    }
    return items;
  }

  private ItemProgress progress(Task task, Map<String, String> items, ItemPlan... plans) {
    return views
        .view(new TaskRecord(task, Map.of(), items, List.of(plans)))
        .steps()
        .get(0)
        .progress();
  }

  @Test
  void aRunningStep_countsThePlannedItemsKeptSoFar() {
    ItemPlan plan = new ItemPlan(GATHER, "r0", List.of("a", "b", "c", "d"));
    Task task = task(TaskStatus.RUNNING, TaskFixtures.running("r0"));
    assertThat(progress(task, kept(), plan)).isEqualTo(new ItemProgress(0, 4));
    assertThat(progress(task, kept("a", "c"), plan)).isEqualTo(new ItemProgress(2, 4));
    assertThat(progress(task, kept("a", "b", "c", "d"), plan)).isEqualTo(new ItemProgress(4, 4));
  }

  @Test
  void itemsOutsideThePlan_orAnotherRunsPlan_doNotCount() {
    // a rerun's cards have new keys: the earlier run's records and plan are not this run's progress
    Task task =
        task(
            TaskStatus.RUNNING,
            TaskFixtures.running("r1"),
            TaskFixtures.run("t-1", 0, GATHER, TaskStatus.SUCCEEDED, 0, 0),
            TaskFixtures.run("t-1", 1, GATHER, TaskStatus.RUNNING, 0, 1));
    ItemPlan old = new ItemPlan(GATHER, "r0", List.of("r0:a", "r0:b"));
    ItemPlan current = new ItemPlan(GATHER, "r1", List.of("r1:a", "r1:b", "r1:c"));
    assertThat(progress(task, kept("r0:a", "r0:b", "r1:b"), old, current))
        .isEqualTo(new ItemProgress(1, 3));
    assertThat(progress(task, kept("r0:a", "r0:b"), old)).isNull();
    ItemPlan otherStep = new ItemPlan("another_step", "r1", List.of("r1:a"));
    assertThat(progress(task, kept("r1:a"), otherStep)).isNull();
  }

  @Test
  void aFinishedPendingOrCancelledStep_orAStepWithoutPlan_hasNoProgress() {
    ItemPlan plan = new ItemPlan(GATHER, "r0", List.of("a", "b"));
    assertThat(
            progress(task(TaskStatus.RUNNING, TaskFixtures.succeeded("r0")), kept("a", "b"), plan))
        .isNull();
    assertThat(progress(task(TaskStatus.CANCELLED, TaskFixtures.running("r0")), kept("a"), plan))
        .isNull();
    assertThat(progress(task(TaskStatus.RUNNING, TaskFixtures.running("r0")), kept("a"))).isNull();
    assertThat(
            views
                .view(task(TaskStatus.RUNNING, TaskFixtures.running("r0")))
                .steps()
                .get(0)
                .progress())
        .isNull();
  }

  @Test
  void aListedTask_readsTheRunningStepsItemRecords_andNoOtherStep() {
    List<String> asked = new ArrayList<>();
    ItemRecords records =
        (taskId, step) -> {
          asked.add(taskId + "/" + step.name());
          return new ItemRecords.Marks(
              Set.of(GATHER + "/a"), List.of(new ItemPlan(GATHER, "r0", List.of("a", "b"))));
        };
    TaskViews listing =
        new TaskViews(
            TaskFixtures.CLOCK, Pipelines.of(List.of(new RulesTestPipeline())), 1, records);
    assertThat(
            listing
                .listed(task(TaskStatus.RUNNING, TaskFixtures.running("r0")))
                .steps()
                .get(0)
                .progress())
        .isEqualTo(new ItemProgress(1, 2));
    assertThat(asked).containsExactly("t-1/" + GATHER);
    listing.listed(task(TaskStatus.SUCCEEDED, TaskFixtures.succeeded("r0")));
    assertThat(asked).hasSize(1);
  }
}
