package io.stepwise.store;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;

/**
 * Creates the state table where no infrastructure tool does (DynamoDB Local in tests and the local
 * runtime).
 */
public final class TableSetup {

  private TableSetup() {}

  /** Creates the table with its TTL setting; a table that already exists is left as it is. */
  public static void createIfMissing(DynamoDbClient dynamo, String tableName) {
    try {
      dynamo.createTable(StateTable.createTableRequest(tableName));
    } catch (ResourceInUseException alreadyThere) {
      return;
    }
    dynamo.waiter().waitUntilTableExists(b -> b.tableName(tableName));
    dynamo.updateTimeToLive(
        b ->
            b.tableName(tableName)
                .timeToLiveSpecification(
                    TimeToLiveSpecification.builder()
                        .attributeName(StateTable.TTL_ATTRIBUTE)
                        .enabled(true)
                        .build()));
  }
}
