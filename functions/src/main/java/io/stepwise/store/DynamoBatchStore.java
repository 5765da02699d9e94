package io.stepwise.store;

import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.stepwise.batches.Batch;
import io.stepwise.batches.BatchRepository;
import io.stepwise.model.Task;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
            Attrs.epoch(item, StateTable.TTL_ATTRIBUTE)));
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
