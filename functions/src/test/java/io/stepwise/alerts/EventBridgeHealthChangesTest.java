package io.stepwise.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.health.HealthStatus;
import io.stepwise.health.ModelHealth;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * A model's status change becomes one PutEvents call (EventBridge's JSON 1.1 protocol, answered by
 * a loopback server) with the documented source, detail-type and detail; a bus that refuses never
 * throws into the sweep.
 */
class EventBridgeHealthChangesTest {

  private static final JsonMapper JSON = JsonMapper.createDefault();

  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> targets = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private EventBridgeClient client;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.add(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
          byte[] answer =
              (status == 200
                      ? "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-1\"}]}"
                      : "{\"__type\":\"InternalException\",\"message\":\"bus down\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
          exchange.sendResponseHeaders(status, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
    client =
        EventBridgeClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop(0);
  }

  private static ModelHealth health(String name, HealthStatus status, String errorCode) {
    return new ModelHealth(
        name,
        status,
        120L,
        110L,
        0.5,
        status == HealthStatus.HEALTHY ? 0 : 3,
        errorCode,
        errorCode == null ? null : "HTTP 503",
        null,
        null,
        Instant.parse("2026-03-02T10:00:00Z"),
        null,
        "");
  }

  @Test
  void aStatusChange_isOneEventWithTheDocumentedShape() throws Exception {
    new EventBridgeHealthChanges(client, "default", JSON)
        .changed(
            health("primary", HealthStatus.DEGRADED, "http_503"),
            health("primary", HealthStatus.UNHEALTHY, "http_503"));

    assertThat(targets).containsExactly("AWSEvents.PutEvents");
    JsonNode entry = JSON.readValue(requests.get(0), JsonNode.class).get("Entries").get(0);
    assertThat(entry.get("Source").getStringValue()).isEqualTo("stepwise");
    assertThat(entry.get("DetailType").getStringValue()).isEqualTo("Model health changed");
    assertThat(entry.get("EventBusName").getStringValue()).isEqualTo("default");
    JsonNode detail = JSON.readValue(entry.get("Detail").getStringValue(), JsonNode.class);
    assertThat(detail.get("model").getStringValue()).isEqualTo("primary");
    assertThat(detail.get("from").getStringValue()).isEqualTo("degraded");
    assertThat(detail.get("to").getStringValue()).isEqualTo("unhealthy");
    assertThat(detail.get("checkedAt").getStringValue()).isEqualTo("2026-03-02T10:00:00.000Z");
    assertThat(detail.get("errorCode").getStringValue()).isEqualTo("http_503");
  }

  @Test
  void aBusThatFails_isLogged_notThrown() {
    status = 500;
    new EventBridgeHealthChanges(client, "default", JSON)
        .changed(
            health("primary", HealthStatus.UNHEALTHY, "http_503"),
            health("primary", HealthStatus.HEALTHY, null));
    assertThat(requests).hasSize(1);
  }
}
