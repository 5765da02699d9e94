package io.stepwise.infra;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * Item-level grants on the state table. Each function gets only the actions its code calls
 * (GetItem, Query, PutItem, UpdateItem; a transaction is authorised per item as
 * Put/Update/ConditionCheckItem) and only the partitions it owns, through {@code
 * dynamodb:LeadingKeys}: step and workflow functions touch {@code TASK#...} items, the health check
 * {@code MODEL#...} items.
 */
final class TableAccess {

  static final String TASKS = "TASK#*";
  static final String MODELS = "MODEL#*";
  static final String BATCHES = "BATCH#*";
  static final String USAGE = "USAGE#*";
  static final String ALERTS = "ALERT#*";

  static final List<String> READ =
      List.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem");
  static final List<String> WRITE = List.of("dynamodb:PutItem", "dynamodb:UpdateItem");

  private TableAccess() {}

  /** Reads and writes of the items under the given partition key patterns. */
  static PolicyStatement readWrite(ITable table, String... partitions) {
    return items(table, concat(READ, WRITE), partitions);
  }

  static PolicyStatement read(ITable table, String... partitions) {
    return items(table, READ, partitions);
  }

  static PolicyStatement items(ITable table, List<String> actions, String... partitions) {
    return PolicyStatement.Builder.create()
        .effect(Effect.ALLOW)
        .actions(actions)
        .resources(List.of(table.getTableArn()))
        .conditions(
            Map.of("ForAllValues:StringLike", Map.of("dynamodb:LeadingKeys", List.of(partitions))))
        .build();
  }

  /**
   * Queries of the secondary indexes (list by status, tasks of a batch). Indexes are read-only and
   * hold only task items, so no key condition: DynamoDB evaluates LeadingKeys against the index
   * key, whose values ({@code STATUS#...}) are not the owner's partition.
   */
  static PolicyStatement queryIndexes(ITable table, List<String> indexNames) {
    return PolicyStatement.Builder.create()
        .effect(Effect.ALLOW)
        .actions(List.of("dynamodb:Query"))
        .resources(indexNames.stream().map(name -> table.getTableArn() + "/index/" + name).toList())
        .build();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }
}
