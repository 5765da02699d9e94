package io.stepwise.testing;

import java.lang.management.ManagementFactory;
import java.net.URI;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The floor under every handler's cold start: a fresh JVM that only builds the DynamoDB client
 * (settings from the same system properties the handlers get) and makes one call, with no
 * application context. Prints the same marks as {@link HandlerProbe}: init is the client build, the
 * first request one {@code DescribeTable}.
 *
 * <p>Arguments: the table name.
 */
public final class SdkFloorProbe {

  private SdkFloorProbe() {}

  public static void main(String[] args) {
    System.out.println("MARK main " + System.currentTimeMillis());
    DynamoDbClient dynamo =
        DynamoDbClient.builder()
            .endpointOverride(
                URI.create(System.getProperty("aws.services.dynamodb.endpoint-override")))
            .build();
    System.out.println("MARK init " + System.currentTimeMillis());
    String status = dynamo.describeTable(b -> b.tableName(args[0])).table().tableStatusAsString();
    long done = System.currentTimeMillis();
    System.out.println("RESPONSE " + status);
    System.out.println("MARK response " + done);
    System.out.println(
        "CLASSES " + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
