package io.stepwise.testing;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Removes models' health items between tests that share a table (a fresh start for statuses and
 * cooldowns).
 */
public final class HealthItems {

  private HealthItems() {}

  public static void clear(String table, String... models) {
    var dynamo = LocalDynamo.client();
    for (String model : models) {
      var items =
          dynamo
              .query(
                  b ->
                      b.tableName(table)
                          .keyConditionExpression("PK = :pk")
                          .expressionAttributeValues(
                              Map.of(":pk", AttributeValue.fromS("MODEL#" + model))))
              .items();
      for (var item : items) {
        dynamo.deleteItem(
            b -> b.tableName(table).key(Map.of("PK", item.get("PK"), "SK", item.get("SK"))));
      }
    }
  }

  /** How many history items a model has. */
  public static int historyCount(String table, String model) {
    return LocalDynamo.client()
        .query(
            b ->
                b.tableName(table)
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :c)")
                    .expressionAttributeValues(
                        Map.of(
                            ":pk",
                            AttributeValue.fromS("MODEL#" + model),
                            ":c",
                            AttributeValue.fromS("CHECK#"))))
        .count();
  }
}
