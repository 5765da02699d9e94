package io.stepwise.testing;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import io.stepwise.store.TableSetup;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local, embedded in the test JVM and reached over HTTP like the real service: started
 * once, shared by every test class, each of which gets a fresh table built from {@link
 * io.stepwise.store.StateTable}.
 */
public final class LocalDynamo {

  private static URI endpoint;
  private static DynamoDbClient client;

  private LocalDynamo() {}

  public static synchronized URI endpoint() {
    if (endpoint == null) {
      try {
        int port = freePort();
        DynamoDBProxyServer server =
            ServerRunner.createServerFromCommandLineArgs(
                new String[] {"-inMemory", "-port", Integer.toString(port)});
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(server)));
        endpoint = URI.create("http://127.0.0.1:" + port);
      } catch (Exception e) {
        throw new IllegalStateException("DynamoDB Local did not start", e);
      }
    }
    return endpoint;
  }

  public static synchronized DynamoDbClient client() {
    if (client == null) {
      client =
          DynamoDbClient.builder()
              .endpointOverride(endpoint())
              .region(Region.US_EAST_1)
              .credentialsProvider(
                  StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
              .httpClient(UrlConnectionHttpClient.create())
              .build();
    }
    return client;
  }

  /** A new, empty state table. */
  public static String newTable() {
    String name = "stepwise-" + UUID.randomUUID();
    TableSetup.createIfMissing(client(), name);
    return name;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void stopQuietly(DynamoDBProxyServer server) {
    try {
      server.stop();
    } catch (Exception ignored) {
      // the JVM is exiting
    }
  }
}
