package io.stepwise.store;

import io.micronaut.core.annotation.Nullable;
import io.stepwise.metrics.FinishedTask;
import io.stepwise.metrics.FinishedTasks;
import io.stepwise.model.TaskStatus;
import io.stepwise.model.Times;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The by-status index queried by time: its sort key is {@code <updatedAt>#<taskId>} with
 * fixed-width UTC times, so "changed between from and to" is a key range ({@code BETWEEN from AND
 * to~}, '~' sorting after '#'). Only the attributes the metrics use are read.
 */
@Singleton
public class DynamoFinishedTasks implements FinishedTasks {

  private static final String PROJECTION =
      "#status, createdAt, updatedAt, retryCount, failedStep, #error, #ttl";

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;

  public DynamoFinishedTasks(DynamoDbClient dynamo, StoreConfig config, Clock clock) {
    this.dynamo = dynamo;
    this.table = config.tableName();
    this.clock = clock;
  }

  @Override
  public List<FinishedTask> between(
      TaskStatus status, Instant from, Instant to, @Nullable String ownerId) {
    StateTable.Index idx = StateTable.BY_STATUS;
    List<FinishedTask> found = new ArrayList<>();
    long now = clock.instant().getEpochSecond();
    // With an owner, the index has no owner key: the window is read whole and other owners' items
    // are filtered
    // out by DynamoDB (the same read capacity as the operator's figures, less data back).
    Map<String, AttributeValue> values =
        new HashMap<>(
            Map.of(
                ":pk", AttributeValue.fromS(Keys.statusPartition(status)),
                ":from", AttributeValue.fromS(Times.format(from)),
                ":to", AttributeValue.fromS(Times.format(to) + "~")));
    if (ownerId != null) {
      values.put(":owner", AttributeValue.fromS(ownerId));
    }
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> after = start;
      QueryResponse page =
          dynamo.query(
              b ->
                  b.tableName(table)
                      .indexName(idx.name())
                      .keyConditionExpression(
                          idx.partitionKey()
                              + " = :pk AND "
                              + idx.sortKey()
                              + " BETWEEN :from AND :to")
                      .projectionExpression(PROJECTION)
                      .expressionAttributeNames(
                          Map.of(
                              "#status",
                              "status",
                              "#error",
                              "error",
                              "#ttl",
                              StateTable.TTL_ATTRIBUTE))
                      .expressionAttributeValues(values)
                      .filterExpression(ownerId == null ? null : "ownerId = :owner")
                      .exclusiveStartKey(after));
      for (Map<String, AttributeValue> item : page.items()) {
        Instant expiresAt = Attrs.epoch(item, StateTable.TTL_ATTRIBUTE);
        if (expiresAt != null && expiresAt.getEpochSecond() <= now) {
          continue; // TTL deletion is lazy
        }
        String errorType = Attrs.map(item, "error").map(e -> Attrs.str(e, "type")).orElse(null);
        String step = Attrs.str(item, "failedStep");
        if (step == null) {
          step = Attrs.map(item, "error").map(e -> Attrs.str(e, "step")).orElse(null);
        }
        found.add(
            new FinishedTask(
                status,
                Attrs.time(item, "createdAt"),
                Attrs.time(item, "updatedAt"),
                (int) Attrs.num(item, "retryCount", 0),
                step,
                errorType));
      }
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return found;
  }
}
