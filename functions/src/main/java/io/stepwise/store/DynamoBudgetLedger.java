package io.stepwise.store;

import io.stepwise.usage.BudgetLedger;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link BudgetLedger} on the task item ({@code TASK#<id>} / {@code META}). DynamoDB conditions
 * cannot add, so the item keeps the sum, {@code committedUsd}, and a reservation of {@code w} is
 * allowed while {@code committedUsd <= budget - w}; the budget is fixed for the task, so the bound
 * is computed here. Every change is an atomic {@code ADD} (numbers are exact decimals in DynamoDB),
 * so concurrent reservations are serialised by DynamoDB itself.
 */
@Singleton
public class DynamoBudgetLedger implements BudgetLedger {

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoBudgetLedger(DynamoDbClient dynamo, StoreConfig store) {
    this.dynamo = dynamo;
    this.table = store.tableName();
  }

  @Override
  public boolean reserve(String taskId, BigDecimal worstUsd, BigDecimal budgetUsd) {
    BigDecimal limit = budgetUsd.subtract(worstUsd);
    if (limit.signum() < 0) {
      return false;
    }
    try {
      dynamo.updateItem(
          b ->
              b.tableName(table)
                  .key(Keys.task(taskId))
                  .updateExpression("ADD committedUsd :w, reservedUsd :w")
                  .conditionExpression(
                      "attribute_exists(PK) AND (attribute_not_exists(committedUsd) OR committedUsd <= :limit)")
                  .expressionAttributeValues(
                      Map.of(":w", number(worstUsd), ":limit", number(limit))));
      return true;
    } catch (ConditionalCheckFailedException noRoom) {
      return false;
    }
  }

  @Override
  public void settle(String taskId, BigDecimal reservedUsd, BigDecimal actualUsd) {
    dynamo.updateItem(
        b ->
            b.tableName(table)
                .key(Keys.task(taskId))
                .updateExpression("ADD committedUsd :delta, reservedUsd :release, spentUsd :actual")
                .expressionAttributeValues(
                    Map.of(
                        ":delta", number(actualUsd.subtract(reservedUsd)),
                        ":release", number(reservedUsd.negate()),
                        ":actual", number(actualUsd))));
  }

  @Override
  public Spend spend(String taskId) {
    Map<String, AttributeValue> item =
        dynamo
            .getItem(
                b ->
                    b.tableName(table)
                        .key(Keys.task(taskId))
                        .consistentRead(true)
                        .projectionExpression("spentUsd, reservedUsd"))
            .item();
    return new Spend(decimal(item, "spentUsd"), decimal(item, "reservedUsd"));
  }

  private static BigDecimal decimal(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item == null ? null : item.get(name);
    return v == null || v.n() == null ? BigDecimal.ZERO : new BigDecimal(v.n());
  }

  private static AttributeValue number(BigDecimal value) {
    return AttributeValue.fromN(value.toPlainString());
  }
}
