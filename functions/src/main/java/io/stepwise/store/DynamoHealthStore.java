package io.stepwise.store;

import io.stepwise.health.HealthCheckRecord;
import io.stepwise.health.HealthConfig;
import io.stepwise.health.HealthStatus;
import io.stepwise.health.HealthStore;
import io.stepwise.health.ModelHealth;
import io.stepwise.model.Times;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Model health in the state table: {@code MODEL#<name>} / {@code LATEST} (no TTL) and {@code
 * CHECK#<checkedAt>} history items (TTL {@code historyRetention}). A result is written as one
 * transaction of both items, conditioned on the latest item being the one the sweep read, so two
 * sweeps racing write one result between them.
 */
@Singleton
public class DynamoHealthStore implements HealthStore {

  private static final int BATCH_GET_LIMIT = 100;

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;
  private final HealthConfig config;

  public DynamoHealthStore(
      DynamoDbClient dynamo, StoreConfig store, Clock clock, HealthConfig config) {
    this.dynamo = dynamo;
    this.table = store.tableName();
    this.clock = clock;
    this.config = config;
  }

  @Override
  public Map<String, ModelHealth> latest(Collection<String> names) {
    Map<String, ModelHealth> result = new LinkedHashMap<>();
    names.forEach(n -> result.put(n, ModelHealth.unknown(n)));
    List<String> all = List.copyOf(names);
    for (int from = 0; from < all.size(); from += BATCH_GET_LIMIT) {
      List<Map<String, AttributeValue>> keys =
          all.subList(from, Math.min(all.size(), from + BATCH_GET_LIMIT)).stream()
              .map(Keys::modelLatest)
              .toList();
      Map<String, KeysAndAttributes> request =
          Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
      while (!request.isEmpty()) {
        Map<String, KeysAndAttributes> ask = request;
        BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(ask));
        for (Map<String, AttributeValue> item :
            response.responses().getOrDefault(table, List.of())) {
          ModelHealth health = fromItem(item);
          result.put(health.name(), health);
        }
        request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
      }
    }
    return result;
  }

  @Override
  public boolean record(ModelHealth next, Instant previousCheckedAt, HealthCheckRecord check) {
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    List<String> sets = new ArrayList<>();
    List<String> removes = new ArrayList<>();
    Map<String, AttributeValue> fields =
        Attrs.of()
            .s("name", next.name())
            .s("status", next.status().wire())
            .n("latencyMs", next.latencyMs())
            .n("emaLatencyMs", next.emaLatencyMs())
            .n("successRate", next.successRate())
            .n("consecutiveFailures", next.consecutiveFailures())
            .s("errorCode", next.errorCode())
            .s("errorMessage", next.errorMessage())
            .n("quotaRemaining", next.quotaRemaining())
            .n("quotaLimit", next.quotaLimit())
            .time("checkedAt", next.checkedAt())
            .s("recent", next.recent())
            .build();
    // cooldownUntil is the router's: never written here, so a cooldown set during the sweep
    // survives it.
    for (String attr :
        List.of(
            "name",
            "status",
            "latencyMs",
            "emaLatencyMs",
            "successRate",
            "consecutiveFailures",
            "errorCode",
            "errorMessage",
            "quotaRemaining",
            "quotaLimit",
            "checkedAt",
            "recent")) {
      names.put("#" + attr, attr);
      if (fields.containsKey(attr)) {
        values.put(":" + attr, fields.get(attr));
        sets.add("#" + attr + " = :" + attr);
      } else {
        removes.add("#" + attr);
      }
    }
    String condition;
    if (previousCheckedAt == null) {
      condition = "attribute_not_exists(#checkedAt)";
    } else {
      condition = "#checkedAt = :previous";
      values.put(":previous", AttributeValue.fromS(Times.format(previousCheckedAt)));
    }
    String update =
        "SET "
            + String.join(", ", sets)
            + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
    Map<String, AttributeValue> history =
        Attrs.of()
            .putAll(Keys.modelCheck(next.name(), check.checkedAt()))
            .s("name", next.name())
            .time("checkedAt", check.checkedAt())
            .s("status", check.status().wire())
            .put("ok", AttributeValue.fromBool(check.ok()))
            .n("latencyMs", check.latencyMs())
            .s("errorCode", check.errorCode())
            .s("errorMessage", check.errorMessage())
            .n("quotaRemaining", check.quotaRemaining())
            .epoch(StateTable.TTL_ATTRIBUTE, check.checkedAt().plus(config.historyRetention()))
            .build();
    try {
      dynamo.transactWriteItems(
          b ->
              b.transactItems(
                  TransactWriteItem.builder()
                      .update(
                          u ->
                              u.tableName(table)
                                  .key(Keys.modelLatest(next.name()))
                                  .updateExpression(update)
                                  .conditionExpression(condition)
                                  .expressionAttributeNames(names)
                                  .expressionAttributeValues(values))
                      .build(),
                  TransactWriteItem.builder().put(p -> p.tableName(table).item(history)).build()));
      return true;
    } catch (TransactionCanceledException lost) {
      if (lost.cancellationReasons().stream()
          .anyMatch(r -> "ConditionalCheckFailed".equals(r.code()))) {
        return false;
      }
      throw lost;
    }
  }

  @Override
  public List<HealthCheckRecord> history(String name, int limit) {
    Instant now = clock.instant();
    List<HealthCheckRecord> records = new ArrayList<>();
    for (Map<String, AttributeValue> item :
        dynamo
            .query(
                b ->
                    b.tableName(table)
                        .keyConditionExpression("PK = :pk AND begins_with(SK, :check)")
                        .expressionAttributeValues(
                            Map.of(
                                ":pk",
                                AttributeValue.fromS(Keys.modelPartition(name)),
                                ":check",
                                AttributeValue.fromS(Keys.CHECK_PREFIX)))
                        .scanIndexForward(false)
                        .limit(limit))
            .items()) {
      Instant expires = Attrs.epoch(item, StateTable.TTL_ATTRIBUTE);
      if (expires != null && !expires.isAfter(now)) {
        continue; // TTL deletion is lazy
      }
      AttributeValue ok = item.get("ok");
      records.add(
          new HealthCheckRecord(
              Attrs.time(item, "checkedAt"),
              HealthStatus.parse(Attrs.str(item, "status")),
              ok != null && Boolean.TRUE.equals(ok.bool()),
              Attrs.num(item, "latencyMs", 0),
              Attrs.str(item, "errorCode"),
              Attrs.str(item, "errorMessage"),
              Attrs.numOrNull(item, "quotaRemaining")));
    }
    return records;
  }

  @Override
  public void coolDown(String name, Instant until) {
    try {
      dynamo.updateItem(
          b ->
              b.tableName(table)
                  .key(Keys.modelLatest(name))
                  .updateExpression("SET #name = :name, #until = :until")
                  .conditionExpression("attribute_not_exists(#until) OR #until < :until")
                  .expressionAttributeNames(Map.of("#name", "name", "#until", "cooldownUntil"))
                  .expressionAttributeValues(
                      Map.of(
                          ":name",
                          AttributeValue.fromS(name),
                          ":until",
                          AttributeValue.fromS(Times.format(until)))));
    } catch (ConditionalCheckFailedException longerAlreadySet) {
      // the cooldown already lasts longer; keep it
    }
  }

  private static ModelHealth fromItem(Map<String, AttributeValue> item) {
    AttributeValue rate = item.get("successRate");
    Long failures = Attrs.numOrNull(item, "consecutiveFailures");
    String recent = Attrs.str(item, "recent");
    return new ModelHealth(
        Attrs.str(item, "name"),
        HealthStatus.parse(Attrs.str(item, "status")),
        Attrs.numOrNull(item, "latencyMs"),
        Attrs.numOrNull(item, "emaLatencyMs"),
        rate == null || rate.n() == null ? null : Double.valueOf(rate.n()),
        failures == null ? 0 : failures.intValue(),
        Attrs.str(item, "errorCode"),
        Attrs.str(item, "errorMessage"),
        Attrs.numOrNull(item, "quotaRemaining"),
        Attrs.numOrNull(item, "quotaLimit"),
        Attrs.time(item, "checkedAt"),
        Attrs.time(item, "cooldownUntil"),
        recent == null ? "" : recent);
  }
}
