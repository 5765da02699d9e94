package io.stepwise.store;

import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.stepwise.batches.Batch;
import io.stepwise.batches.BatchRepository;
import io.stepwise.batches.BatchRepository.Claim;
import io.stepwise.model.Task;
import io.stepwise.store.RunSlots.Slot;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Batches in the state table: the {@code BATCH#<batchId>/META} item, and the batch's tasks through
 * the by-batch index ({@code BATCH#<batchId>} / {@code TASK#<taskId>}), which every task created in
 * a batch is in.
 */
@Singleton
public class DynamoBatchStore implements BatchRepository {

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;
  private final TaskItems items;
  private final RunSlots slots;

  public DynamoBatchStore(
      DynamoDbClient dynamo,
      StoreConfig config,
      JsonMapper json,
      Clock clock,
      @Value("${stepwise.pipelines.default}") String defaultPipeline) {
    this.dynamo = dynamo;
    this.table = config.tableName();
    this.clock = clock;
    this.items = new TaskItems(json, defaultPipeline);
    this.slots = new RunSlots(dynamo, table, clock);
  }

  @Override
  public boolean insert(Batch batch) {
    Map<String, AttributeValue> item =
        Attrs.of()
            .putAll(Keys.batch(batch.batchId()))
            .s("type", "batch")
            .s("batchId", batch.batchId())
            .n("total", batch.total())
            .s("requestHash", batch.requestHash())
            .s("ownerId", batch.ownerId())
            .time("createdAt", batch.createdAt())
            .epoch(StateTable.TTL_ATTRIBUTE, batch.expiresAt())
            .n("maxRunning", batch.maxRunning())
            .s("steering", batch.steering().wire())
            .put("retries", AttributeValue.fromL(List.of()))
            .build();
    try {
      dynamo.putItem(
          b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(PK)"));
      return true;
    } catch (ConditionalCheckFailedException exists) {
      return false;
    }
  }

  @Override
  public Optional<Batch> find(String batchId) {
    Map<String, AttributeValue> item =
        dynamo
            .getItem(b -> b.tableName(table).key(Keys.batch(batchId)).consistentRead(true))
            .item();
    if (item == null || item.isEmpty() || expired(item)) {
      return Optional.empty();
    }
    return Optional.of(
        new Batch(
            Attrs.str(item, "batchId"),
            (int) Attrs.num(item, "total", 0),
            Attrs.str(item, "requestHash"),
            Attrs.str(item, "ownerId"),
            Attrs.time(item, "createdAt"),
            Attrs.epoch(item, StateTable.TTL_ATTRIBUTE),
            (int) Attrs.num(item, "maxRunning", 0),
            steering(Attrs.str(item, "steering")),
            retries(item)));
  }

  private static Batch.Steering steering(String wire) {
    return wire == null
        ? Batch.Steering.RUNNING
        : Batch.Steering.valueOf(wire.toUpperCase(Locale.ROOT));
  }

  private static List<Batch.Retry> retries(Map<String, AttributeValue> item) {
    AttributeValue list = item.get("retries");
    if (list == null || !list.hasL()) {
      return List.of();
    }
    return list.l().stream()
        .map(AttributeValue::m)
        .map(
            m ->
                new Batch.Retry(
                    Attrs.time(m, "at"),
                    Attrs.str(m, "kind"),
                    (int) Attrs.num(m, "count", 0),
                    Attrs.str(m, "taskId")))
        .toList();
  }

  @Override
  public boolean steer(String batchId, Batch.Steering from, Batch.Steering to) {
    // A batch stored before steering existed has no attribute: it was running.
    String condition =
        from == Batch.Steering.RUNNING
            ? "attribute_exists(PK) AND (attribute_not_exists(steering) OR steering = :from)"
            : "attribute_exists(PK) AND steering = :from";
    try {
      dynamo.updateItem(
          b ->
              b.tableName(table)
                  .key(Keys.batch(batchId))
                  .updateExpression("SET steering = :to")
                  .conditionExpression(condition)
                  .expressionAttributeValues(
                      Map.of(
                          ":from", AttributeValue.fromS(from.wire()),
                          ":to", AttributeValue.fromS(to.wire()))));
      return true;
    } catch (ConditionalCheckFailedException changed) {
      return false;
    }
  }

  @Override
  public void recordRetry(String batchId, Batch.Retry retry) {
    AttributeValue entry =
        Attrs.of()
            .time("at", retry.at())
            .s("kind", retry.kind())
            .n("count", retry.count())
            .s("taskId", retry.taskId())
            .asMap();
    try {
      dynamo.updateItem(
          b ->
              b.tableName(table)
                  .key(Keys.batch(batchId))
                  .updateExpression(
                      "SET retries = list_append(if_not_exists(retries, :none), :one)")
                  .conditionExpression("attribute_exists(PK)")
                  .expressionAttributeValues(
                      Map.of(
                          ":none", AttributeValue.fromL(List.of()),
                          ":one", AttributeValue.fromL(List.of(entry)))));
    } catch (ConditionalCheckFailedException gone) {
      // the batch item is gone (expired): its task's retry stands, with no history to keep it in
    }
  }

  @Override
  public Claim claim(
      Batch batch, int maxRunning, int globalMaxRunning, String taskId, String runId) {
    Optional<Slot> own = slots.free(Keys.batchPartition(batch.batchId()), maxRunning);
    if (own.isEmpty()) {
      return Claim.NO_SLOT;
    }
    Optional<Slot> global = slots.free(Keys.GLOBAL_SLOTS, globalMaxRunning);
    if (global.isEmpty()) {
      return Claim.NO_SLOT;
    }
    return slots.claim(batch, own.get(), global.get(), taskId, runId);
  }

  @Override
  public boolean holdsSlot(String taskId, String runId) {
    Map<String, AttributeValue> item =
        dynamo
            .getItem(
                b ->
                    b.tableName(table)
                        .key(Keys.task(taskId))
                        .consistentRead(true)
                        .projectionExpression(RunSlots.SLOT_RUN))
            .item();
    return item != null && runId.equals(Attrs.str(item, RunSlots.SLOT_RUN));
  }

  @Override
  public List<Task> tasks(String batchId) {
    StateTable.Index idx = StateTable.BY_BATCH;
    List<Task> found = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse page =
          dynamo.query(
              b ->
                  b.tableName(table)
                      .indexName(idx.name())
                      .keyConditionExpression(idx.partitionKey() + " = :pk")
                      .expressionAttributeValues(
                          Map.of(":pk", AttributeValue.fromS(Keys.batchPartition(batchId))))
                      .exclusiveStartKey(from));
      page.items().stream().filter(i -> !expired(i)).map(items::fromItem).forEach(found::add);
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return found;
  }

  private boolean expired(Map<String, AttributeValue> item) {
    Instant expiresAt = Attrs.epoch(item, StateTable.TTL_ATTRIBUTE);
    return expiresAt != null && !expiresAt.isAfter(clock.instant());
  }
}
