package io.stepwise.store;

import io.stepwise.alerts.AlertConfig;
import io.stepwise.alerts.AlertRule;
import io.stepwise.alerts.AlertState;
import io.stepwise.alerts.AlertStore;
import io.stepwise.alerts.Transition;
import io.stepwise.model.Times;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Alerts in the state table: per rule, {@code ALERT#<rule>} / {@code STATE} (no TTL) and {@code
 * AT#<time>#<event or model>} transitions (TTL {@code stepwise.alerts.history-retention}). "STATE"
 * sorts after every "AT#…" key, so one descending Query per rule reads its state and its newest
 * transitions: five Queries for the whole picture, no Scan, no index.
 */
@Singleton
public class DynamoAlertStore implements AlertStore {

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;
  private final AlertConfig config;

  public DynamoAlertStore(
      DynamoDbClient dynamo, StoreConfig store, Clock clock, AlertConfig config) {
    this.dynamo = dynamo;
    this.table = store.tableName();
    this.clock = clock;
    this.config = config;
  }

  @Override
  public Snapshot read(int limit) {
    Instant now = clock.instant();
    Map<AlertRule, AlertState> states = new EnumMap<>(AlertRule.class);
    List<Transition> history = new ArrayList<>();
    for (AlertRule rule : AlertRule.values()) {
      states.put(rule, AlertState.never(rule));
      List<Map<String, AttributeValue>> items =
          dynamo
              .query(
                  b ->
                      b.tableName(table)
                          .keyConditionExpression("PK = :pk")
                          .expressionAttributeValues(
                              Map.of(":pk", AttributeValue.fromS(Keys.alertPartition(rule.wire()))))
                          .scanIndexForward(false)
                          .consistentRead(true)
                          .limit(limit + 1))
              .items();
      for (Map<String, AttributeValue> item : items) {
        String sort = Attrs.str(item, StateTable.SORT_KEY);
        if (Keys.ALERT_STATE.equals(sort)) {
          states.put(rule, state(rule, item));
        } else if (sort != null && sort.startsWith(Keys.AT_PREFIX)) {
          Instant expires = Attrs.epoch(item, StateTable.TTL_ATTRIBUTE);
          if (expires == null || expires.isAfter(now)) { // TTL deletion is lazy
            history.add(transition(rule, item));
          }
        }
      }
    }
    history.sort(
        Comparator.comparing(Transition::at)
            .thenComparing(Transition::id)
            .thenComparing(t -> t.rule().wire())
            .reversed());
    return new Snapshot(states, List.copyOf(history.subList(0, Math.min(limit, history.size()))));
  }

  @Override
  public boolean transition(AlertState before, AlertState after, Transition transition) {
    Map<String, AttributeValue> state =
        Attrs.of()
            .putAll(Keys.alertState(after.rule().wire()))
            .s("rule", after.rule().wire())
            .put("active", AttributeValue.fromBool(after.active()))
            .time("since", after.since())
            .n("value", after.value())
            .n("threshold", after.threshold())
            .time("evaluatedAt", after.evaluatedAt())
            .n("version", after.version())
            .build();
    String condition = before.version() == 0 ? "attribute_not_exists(PK)" : "#version = :version";
    Map<String, String> names = before.version() == 0 ? null : Map.of("#version", "version");
    Map<String, AttributeValue> values =
        before.version() == 0
            ? null
            : Map.of(":version", AttributeValue.fromN(Long.toString(before.version())));
    try {
      dynamo.transactWriteItems(
          b ->
              b.transactItems(
                  TransactWriteItem.builder()
                      .put(
                          p ->
                              p.tableName(table)
                                  .item(state)
                                  .conditionExpression(condition)
                                  .expressionAttributeNames(names)
                                  .expressionAttributeValues(values))
                      .build(),
                  TransactWriteItem.builder()
                      .put(
                          p ->
                              p.tableName(table)
                                  .item(item(transition))
                                  .conditionExpression("attribute_not_exists(PK)"))
                      .build()));
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
  public void refresh(AlertRule rule, Double value, Instant evaluatedAt) {
    String update =
        value == null
            ? "SET evaluatedAt = :at REMOVE #value"
            : "SET evaluatedAt = :at, #value = :value";
    Map<String, AttributeValue> values =
        value == null
            ? Map.of(
                ":at", AttributeValue.fromS(Times.format(evaluatedAt)),
                ":true", AttributeValue.fromBool(true))
            : Map.of(
                ":at", AttributeValue.fromS(Times.format(evaluatedAt)),
                ":true", AttributeValue.fromBool(true),
                ":value", AttributeValue.fromN(value.toString()));
    try {
      dynamo.updateItem(
          b ->
              b.tableName(table)
                  .key(Keys.alertState(rule.wire()))
                  .updateExpression(update)
                  .conditionExpression("#active = :true")
                  .expressionAttributeNames(Map.of("#value", "value", "#active", "active"))
                  .expressionAttributeValues(values));
    } catch (ConditionalCheckFailedException clearedMeanwhile) {
      // another evaluation cleared it: its state stands
    }
  }

  @Override
  public void record(Transition transition) {
    try {
      dynamo.putItem(
          b ->
              b.tableName(table)
                  .item(item(transition))
                  .conditionExpression("attribute_not_exists(PK)"));
    } catch (ConditionalCheckFailedException already) {
      // recorded before: a transition is written once
    }
  }

  @Override
  public void delivered(Transition transition) {
    try {
      dynamo.updateItem(
          b ->
              b.tableName(table)
                  .key(Keys.alertTransition(transition.rule().wire(), transition.id()))
                  .updateExpression("REMOVE #pending")
                  .conditionExpression("attribute_exists(PK)")
                  .expressionAttributeNames(Map.of("#pending", "pending")));
    } catch (ConditionalCheckFailedException expired) {
      // gone (TTL) meanwhile: nothing left to mark
    }
  }

  private Map<String, AttributeValue> item(Transition t) {
    Attrs item =
        Attrs.of()
            .putAll(Keys.alertTransition(t.rule().wire(), t.id()))
            .s("rule", t.rule().wire())
            .s("event", t.event().wire())
            .time("at", t.at())
            .n("value", t.value())
            .n("threshold", t.threshold())
            .s("model", t.model())
            .s("from", t.from())
            .s("to", t.to())
            .epoch(StateTable.TTL_ATTRIBUTE, t.at().plus(config.historyRetention()));
    if (t.pending()) {
      item.put("pending", AttributeValue.fromBool(true));
    }
    return item.build();
  }

  private static AlertState state(AlertRule rule, Map<String, AttributeValue> item) {
    AttributeValue active = item.get("active");
    return new AlertState(
        rule,
        active != null && Boolean.TRUE.equals(active.bool()),
        Attrs.time(item, "since"),
        decimal(item, "value"),
        decimal(item, "threshold") == null ? 0 : decimal(item, "threshold"),
        Attrs.time(item, "evaluatedAt"),
        Attrs.num(item, "version", 0));
  }

  private static Transition transition(AlertRule rule, Map<String, AttributeValue> item) {
    AttributeValue pending = item.get("pending");
    return new Transition(
        rule,
        Transition.Event.parse(Attrs.str(item, "event")),
        Attrs.time(item, "at"),
        decimal(item, "value"),
        decimal(item, "threshold"),
        Attrs.str(item, "model"),
        Attrs.str(item, "from"),
        Attrs.str(item, "to"),
        pending != null && Boolean.TRUE.equals(pending.bool()));
  }

  private static Double decimal(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null || v.n() == null ? null : Double.valueOf(v.n());
  }
}
