package io.stepwise.store;

import io.micronaut.core.annotation.Nullable;
import io.stepwise.batches.Batch;
import io.stepwise.batches.BatchRepository.Claim;
import io.stepwise.model.TaskStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Run slots: a batch may run {@code maxRunning} tasks at once, all batches together a global
 * number. Slot {@code k} of a scope is the item {@code <scope>/SLOT#k} naming the task and run that
 * hold it. A slot is free when it was never written or its holder is no longer pending or running
 * in that run (finished, retried into a new run, expired), so a slot is given back by the task's
 * own final status change and never needs a release write that could be lost. A claim writes both
 * slots and marks the task ({@code slotRun}) in one transaction, each conditioned on what was read:
 * two claims never take the same slot, and a task is never claimed twice for one run.
 */
final class RunSlots {

  /** The task item's attribute naming the run its slot was claimed for. */
  static final String SLOT_RUN = "slotRun";

  private static final int BATCH_GET_LIMIT = 100;

  /** A slot as read: its index and holder (null when never written). */
  record Slot(int index, @Nullable String taskId, @Nullable String runId) {}

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;

  RunSlots(DynamoDbClient dynamo, String table, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.clock = clock;
  }

  /** The first free slot of the scope's first {@code max}, read consistently; empty when none. */
  Optional<Slot> free(String partition, int max) {
    Map<Integer, Slot> held = new HashMap<>();
    for (Map<String, AttributeValue> item :
        dynamo
            .queryPaginator(
                b ->
                    b.tableName(table)
                        .consistentRead(true)
                        .keyConditionExpression("PK = :pk AND begins_with(SK, :slot)")
                        .expressionAttributeValues(
                            Map.of(
                                ":pk", AttributeValue.fromS(partition),
                                ":slot", AttributeValue.fromS(Keys.SLOT_PREFIX))))
            .items()) {
      int index = Integer.parseInt(Attrs.str(item, "SK").substring(Keys.SLOT_PREFIX.length()));
      held.put(index, new Slot(index, Attrs.str(item, "taskId"), Attrs.str(item, "runId")));
    }
    for (int k = 0; k < max; k++) {
      if (!held.containsKey(k)) {
        return Optional.of(new Slot(k, null, null));
      }
    }
    Set<String> holders = new LinkedHashSet<>();
    for (int k = 0; k < max; k++) {
      holders.add(held.get(k).taskId());
    }
    Map<String, Map<String, AttributeValue>> tasks = read(new ArrayList<>(holders));
    for (int k = 0; k < max; k++) {
      Slot slot = held.get(k);
      if (!active(tasks.get(slot.taskId()), slot.runId())) {
        return Optional.of(slot);
      }
    }
    return Optional.empty();
  }

  /** Whether the task (as read; null when gone) is pending or running in {@code runId}. */
  private boolean active(@Nullable Map<String, AttributeValue> task, String runId) {
    if (task == null || task.isEmpty()) {
      return false;
    }
    var expiresAt = Attrs.epoch(task, StateTable.TTL_ATTRIBUTE);
    if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
      return false;
    }
    String status = Attrs.str(task, "status");
    return runId.equals(Attrs.str(task, "currentRunId"))
        && (TaskStatus.PENDING.wire().equals(status) || TaskStatus.RUNNING.wire().equals(status));
  }

  /** The status, run and expiry of each task, read consistently. */
  private Map<String, Map<String, AttributeValue>> read(List<String> taskIds) {
    Map<String, Map<String, AttributeValue>> found = new HashMap<>();
    for (int i = 0; i < taskIds.size(); i += BATCH_GET_LIMIT) {
      List<Map<String, AttributeValue>> keys =
          taskIds.subList(i, Math.min(taskIds.size(), i + BATCH_GET_LIMIT)).stream()
              .map(Keys::task)
              .toList();
      Map<String, KeysAndAttributes> request =
          Map.of(
              table,
              KeysAndAttributes.builder()
                  .keys(keys)
                  .consistentRead(true)
                  .projectionExpression("taskId, #status, currentRunId, #ttl")
                  .expressionAttributeNames(
                      Map.of("#status", "status", "#ttl", StateTable.TTL_ATTRIBUTE))
                  .build());
      while (!request.isEmpty()) {
        Map<String, KeysAndAttributes> ask = request;
        BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(ask));
        response
            .responses()
            .getOrDefault(table, List.of())
            .forEach(item -> found.put(Attrs.str(item, "taskId"), item));
        request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
      }
    }
    return found;
  }

  /** The claim transaction (see the class comment); what failed decides the answer. */
  Claim claim(Batch batch, Slot own, Slot global, String taskId, String runId) {
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(
        TransactWriteItem.builder()
            .conditionCheck(
                c ->
                    c.tableName(table)
                        .key(Keys.batch(batch.batchId()))
                        .conditionExpression(
                            "attribute_not_exists(steering) OR steering = :running")
                        .expressionAttributeValues(
                            Map.of(
                                ":running", AttributeValue.fromS(Batch.Steering.RUNNING.wire()))))
            .build());
    Set<String> checked = new LinkedHashSet<>();
    checked.add(taskId); // the task's own update below checks it is pending in its new run
    add(writes, checked, Keys.batchPartition(batch.batchId()), own, batch, taskId, runId);
    add(writes, checked, Keys.GLOBAL_SLOTS, global, batch, taskId, runId);
    writes.add(
        TransactWriteItem.builder()
            .update(
                u ->
                    u.tableName(table)
                        .key(Keys.task(taskId))
                        .updateExpression("SET " + SLOT_RUN + " = :run")
                        .conditionExpression(
                            "#status = :pending AND currentRunId = :run AND"
                                + " (attribute_not_exists("
                                + SLOT_RUN
                                + ") OR "
                                + SLOT_RUN
                                + " <> :run)")
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(
                            Map.of(
                                ":pending", AttributeValue.fromS(TaskStatus.PENDING.wire()),
                                ":run", AttributeValue.fromS(runId))))
            .build());
    try {
      dynamo.transactWriteItems(b -> b.transactItems(writes));
      return Claim.CLAIMED;
    } catch (TransactionCanceledException e) {
      List<CancellationReason> reasons = e.cancellationReasons();
      if (failed(reasons, 0)) {
        return Claim.NO_SLOT; // paused or cancelled meanwhile
      }
      if (failed(reasons, writes.size() - 1)) {
        return Claim.TASK_TAKEN;
      }
      return Claim.CONTENDED;
    }
  }

  private static boolean failed(List<CancellationReason> reasons, int index) {
    return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
  }

  /**
   * The slot's write, conditioned on the holder read, and a check that this holder is still not
   * active (once per task: a transaction may name an item once).
   */
  private void add(
      List<TransactWriteItem> writes,
      Set<String> checked,
      String partition,
      Slot slot,
      Batch batch,
      String taskId,
      String runId) {
    Map<String, AttributeValue> item =
        Attrs.of()
            .putAll(Keys.slot(partition, slot.index()))
            .s("taskId", taskId)
            .s("runId", runId)
            .s("batchId", batch.batchId())
            .epoch(StateTable.TTL_ATTRIBUTE, batch.expiresAt())
            .build();
    if (slot.taskId() == null) {
      writes.add(
          TransactWriteItem.builder()
              .put(
                  p ->
                      p.tableName(table).item(item).conditionExpression("attribute_not_exists(PK)"))
              .build());
      return;
    }
    writes.add(
        TransactWriteItem.builder()
            .put(
                p ->
                    p.tableName(table)
                        .item(item)
                        .conditionExpression("taskId = :holder AND runId = :holderRun")
                        .expressionAttributeValues(
                            Map.of(
                                ":holder", AttributeValue.fromS(slot.taskId()),
                                ":holderRun", AttributeValue.fromS(slot.runId()))))
            .build());
    if (checked.add(slot.taskId())) {
      writes.add(
          TransactWriteItem.builder()
              .conditionCheck(
                  c ->
                      c.tableName(table)
                          .key(Keys.task(slot.taskId()))
                          .conditionExpression(
                              "attribute_not_exists(PK) OR NOT (#status IN (:pending, :running))"
                                  + " OR currentRunId <> :holderRun OR #ttl <= :now")
                          .expressionAttributeNames(
                              Map.of("#status", "status", "#ttl", StateTable.TTL_ATTRIBUTE))
                          .expressionAttributeValues(
                              Map.of(
                                  ":pending", AttributeValue.fromS(TaskStatus.PENDING.wire()),
                                  ":running", AttributeValue.fromS(TaskStatus.RUNNING.wire()),
                                  ":holderRun", AttributeValue.fromS(slot.runId()),
                                  ":now",
                                      AttributeValue.fromN(
                                          Long.toString(clock.instant().getEpochSecond())))))
              .build());
    }
  }
}
