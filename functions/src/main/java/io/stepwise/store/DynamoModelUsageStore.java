package io.stepwise.store;

import io.stepwise.usage.LatencySketch;
import io.stepwise.usage.ModelCallRecord;
import io.stepwise.usage.ModelUsageStore;
import io.stepwise.usage.UsageBucket;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Model usage buckets in the state table: {@code USAGE#<model>} / {@code F#<five
 * minutes>#<pipeline>} and {@code H#<hour>#<pipeline>} (times UTC, {@code yyyy-MM-ddTHH:mm}), each
 * call added to both with one atomic {@code ADD} per bucket (no read, so concurrent calls never
 * lose a count), kept 8 days. Attributes: {@code calls}, {@code successes}, {@code fail_<kind>},
 * {@code inTokens}, {@code outTokens}, {@code usd}, {@code lat<i>} (the answered calls' {@link
 * LatencySketch} buckets).
 */
@Singleton
public class DynamoModelUsageStore implements ModelUsageStore {

  static final Duration RETENTION = Duration.ofDays(8);
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").withZone(ZoneOffset.UTC);
  private static final String FAIL = "fail_";

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoModelUsageStore(DynamoDbClient dynamo, StoreConfig store) {
    this.dynamo = dynamo;
    this.table = store.tableName();
  }

  static String partition(String model) {
    return "USAGE#" + model;
  }

  static String bucket(Grain grain, Instant at) {
    return switch (grain) {
      case FIVE_MINUTES -> {
        Instant minute = at.truncatedTo(ChronoUnit.MINUTES);
        long over = minute.atZone(ZoneOffset.UTC).getMinute() % 5;
        yield "F#" + MINUTE.format(minute.minus(over, ChronoUnit.MINUTES));
      }
      case HOUR -> "H#" + MINUTE.format(at.truncatedTo(ChronoUnit.HOURS));
    };
  }

  @Override
  public void record(ModelCallRecord call) {
    for (Grain grain : Grain.values()) {
      UpdateExpr expr = new UpdateExpr();
      expr.set("type", AttributeValue.fromS("model-usage"));
      expr.set("model", AttributeValue.fromS(call.model()));
      expr.set("pipeline", AttributeValue.fromS(call.pipeline()));
      expr.set(
          StateTable.TTL_ATTRIBUTE,
          AttributeValue.fromN(Long.toString(call.at().plus(RETENTION).getEpochSecond())));
      expr.add("calls", number(1));
      if (call.success()) {
        expr.add("successes", number(1));
        expr.add("inTokens", number(call.usage().inputTokens()));
        expr.add("outTokens", number(call.usage().outputTokens()));
        expr.add(
            "usd",
            AttributeValue.fromN(BigDecimal.valueOf(call.usage().costUsd()).toPlainString()));
        expr.add("lat" + LatencySketch.bucket(call.latencyMs()), number(1));
      } else {
        expr.add(FAIL + call.failureKind().replaceAll("[^A-Za-z0-9_]", "_"), number(1));
      }
      Map<String, AttributeValue> key =
          Map.of(
              StateTable.PARTITION_KEY,
              AttributeValue.fromS(partition(call.model())),
              StateTable.SORT_KEY,
              AttributeValue.fromS(bucket(grain, call.at()) + "#" + call.pipeline()));
      dynamo.updateItem(b -> b.tableName(table).key(key).applyMutation(expr::applyTo));
    }
  }

  private static AttributeValue number(long n) {
    return AttributeValue.fromN(Long.toString(n));
  }

  @Override
  public List<UsageBucket> read(String model, Grain grain, Instant from, Instant to) {
    List<UsageBucket> buckets = new ArrayList<>();
    dynamo
        .queryPaginator(
            b ->
                b.tableName(table)
                    .keyConditionExpression("PK = :pk AND SK BETWEEN :from AND :to")
                    .expressionAttributeValues(
                        Map.of(
                            ":pk", AttributeValue.fromS(partition(model)),
                            ":from", AttributeValue.fromS(bucket(grain, from)),
                            ":to", AttributeValue.fromS(bucket(grain, to) + "#\uffff"))))
        .items()
        .forEach(item -> buckets.add(bucketOf(item)));
    return buckets;
  }

  private static UsageBucket bucketOf(Map<String, AttributeValue> item) {
    Map<String, Long> failures = new HashMap<>();
    item.forEach(
        (name, value) -> {
          if (name.startsWith(FAIL) && value.n() != null) {
            failures.put(name.substring(FAIL.length()), Long.parseLong(value.n()));
          }
        });
    long[] latency = new long[LatencySketch.SIZE];
    for (int i = 0; i < latency.length; i++) {
      latency[i] = Attrs.num(item, "lat" + i, 0);
    }
    AttributeValue usd = item.get("usd");
    return new UsageBucket(
        Attrs.str(item, "pipeline"),
        Attrs.num(item, "calls", 0),
        Attrs.num(item, "successes", 0),
        failures,
        Attrs.num(item, "inTokens", 0),
        Attrs.num(item, "outTokens", 0),
        usd == null || usd.n() == null ? 0 : Double.parseDouble(usd.n()),
        latency);
  }
}
