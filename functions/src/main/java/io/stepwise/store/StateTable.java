package io.stepwise.store;

import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The one definition of the state table: keys, indexes and the TTL attribute. Tests, the local
 * runtime and the CDK stack all build the table from here, so they cannot drift apart.
 */
public final class StateTable {

  public static final String PARTITION_KEY = "PK";
  public static final String SORT_KEY = "SK";

  /** Epoch seconds; DynamoDB deletes lazily, so every read also treats a passed value as gone. */
  public static final String TTL_ATTRIBUTE = "expiresAt";

  /**
   * Tasks by status, newest activity first: {@code STATUS#<status>} / {@code <updatedAt>#<taskId>}.
   */
  public static final Index BY_STATUS = new Index("byStatus", "GSI1PK", "GSI1SK");

  /** Tasks of a batch: {@code BATCH#<batchId>} / {@code TASK#<taskId>}. */
  public static final Index BY_BATCH = new Index("byBatch", "GSI2PK", "GSI2SK");

  /** A global secondary index with string keys and all attributes projected. */
  public record Index(String name, String partitionKey, String sortKey) {}

  private StateTable() {}

  public static List<Index> indexes() {
    return List.of(BY_STATUS, BY_BATCH);
  }

  /** Every key attribute (table and indexes); all are strings. */
  public static List<String> keyAttributes() {
    return List.of(
        PARTITION_KEY,
        SORT_KEY,
        BY_STATUS.partitionKey(),
        BY_STATUS.sortKey(),
        BY_BATCH.partitionKey(),
        BY_BATCH.sortKey());
  }

  /** On-demand table as deployed; TTL is a separate call ({@code UpdateTimeToLive}) in the SDK. */
  public static CreateTableRequest createTableRequest(String tableName) {
    return CreateTableRequest.builder()
        .tableName(tableName)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(
            keyAttributes().stream()
                .map(
                    name ->
                        AttributeDefinition.builder()
                            .attributeName(name)
                            .attributeType(ScalarAttributeType.S)
                            .build())
                .toList())
        .keySchema(key(PARTITION_KEY, KeyType.HASH), key(SORT_KEY, KeyType.RANGE))
        .globalSecondaryIndexes(
            indexes().stream()
                .map(
                    index ->
                        GlobalSecondaryIndex.builder()
                            .indexName(index.name())
                            .keySchema(
                                key(index.partitionKey(), KeyType.HASH),
                                key(index.sortKey(), KeyType.RANGE))
                            .projection(
                                Projection.builder().projectionType(ProjectionType.ALL).build())
                            .build())
                .toList())
        .build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }
}
