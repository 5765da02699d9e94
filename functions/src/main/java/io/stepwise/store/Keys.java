package io.stepwise.store;

import io.stepwise.model.Step;
import io.stepwise.model.TaskStatus;
import io.stepwise.model.Times;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Key formats of the state table (docs/architecture.md, "State table"). */
final class Keys {

  static final String META = "META";
  static final String STEP_PREFIX = "STEP#";
  static final String ITEM_INFIX = "#ITEM#";

  private Keys() {}

  static String taskPartition(String taskId) {
    return "TASK#" + taskId;
  }

  static Map<String, AttributeValue> task(String taskId) {
    return key(taskPartition(taskId), META);
  }

  static String stepSort(Step step) {
    return STEP_PREFIX + step.index() + "#" + step.name();
  }

  static Map<String, AttributeValue> step(String taskId, Step step) {
    return key(taskPartition(taskId), stepSort(step));
  }

  /** Where a replaced checkpoint of run {@code runId} is kept. */
  static Map<String, AttributeValue> archivedStep(String taskId, Step step, String runId) {
    return key(taskPartition(taskId), stepSort(step) + ARCHIVE_INFIX + runId);
  }

  static final String ARCHIVE_INFIX = "#RUN#";

  static Map<String, AttributeValue> item(String taskId, Step step, String itemKey) {
    return key(taskPartition(taskId), stepSort(step) + ITEM_INFIX + itemKey);
  }

  static final String LATEST = "LATEST";
  static final String CHECK_PREFIX = "CHECK#";

  static String modelPartition(String model) {
    return "MODEL#" + model;
  }

  static Map<String, AttributeValue> modelLatest(String model) {
    return key(modelPartition(model), LATEST);
  }

  static Map<String, AttributeValue> modelCheck(String model, Instant checkedAt) {
    return key(modelPartition(model), CHECK_PREFIX + Times.format(checkedAt));
  }

  static String statusPartition(TaskStatus status) {
    return "STATUS#" + status.wire();
  }

  static String activitySort(Instant updatedAt, String taskId) {
    return Times.format(updatedAt) + "#" + taskId;
  }

  static String batchPartition(String batchId) {
    return "BATCH#" + batchId;
  }

  /** The run slots of all batches together (a batch id is a UUID, so no batch is named so). */
  static final String GLOBAL_SLOTS = "BATCH#all-batches";

  static final String SLOT_PREFIX = "SLOT#";

  static Map<String, AttributeValue> slot(String partition, int index) {
    return key(partition, SLOT_PREFIX + index);
  }

  static Map<String, AttributeValue> batch(String batchId) {
    return key(batchPartition(batchId), META);
  }

  static final String ALERT_STATE = "STATE";
  static final String AT_PREFIX = "AT#";

  static String alertPartition(String rule) {
    return "ALERT#" + rule;
  }

  static Map<String, AttributeValue> alertState(String rule) {
    return key(alertPartition(rule), ALERT_STATE);
  }

  /** One transition of a rule; {@code id} is its time (and model, for a model's change). */
  static Map<String, AttributeValue> alertTransition(String rule, String id) {
    return key(alertPartition(rule), AT_PREFIX + id);
  }

  private static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of(
        StateTable.PARTITION_KEY,
        AttributeValue.fromS(pk),
        StateTable.SORT_KEY,
        AttributeValue.fromS(sk));
  }
}
