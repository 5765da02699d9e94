package io.stepwise.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * AWS Secrets Manager's {@code GetSecretValue}, over its real protocol (AWS JSON 1.1: {@code POST
 * /}, {@code X-Amz-Target: secretsmanager.GetSecretValue}), so the unchanged SDK client reads
 * secrets from it. Unknown secrets get {@code ResourceNotFoundException} as AWS answers it,
 * throttled ones {@code ThrottlingException}. Signatures are not checked.
 */
public final class SecretsManagerServer extends LoopbackServer {

  private final Map<String, String> secrets = new ConcurrentHashMap<>();
  private final List<String> reads = new CopyOnWriteArrayList<>();
  private final Set<String> throttled = ConcurrentHashMap.newKeySet();

  private SecretsManagerServer(int port) {
    super(port);
    route("/", this::handle);
    start();
  }

  public static SecretsManagerServer start(int port) {
    return new SecretsManagerServer(port);
  }

  public void put(String name, String secretString) {
    secrets.put(name, secretString);
  }

  /** Every read of this secret is refused with {@code ThrottlingException}, as AWS does. */
  public void throttle(String name) {
    throttled.add(name);
  }

  /** The secret ids read so far, in order. */
  public List<String> reads() {
    return List.copyOf(reads);
  }

  public void reset() {
    secrets.clear();
    reads.clear();
    throttled.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    if (!"secretsmanager.GetSecretValue".equals(target)) {
      error(exchange, 400, "UnknownOperationException", "unsupported operation " + target);
      return;
    }
    JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
    String id = body.path("SecretId").asText();
    reads.add(id);
    if (throttled.contains(id)) {
      error(exchange, 400, "ThrottlingException", "Rate exceeded");
      return;
    }
    String value = secrets.get(id);
    if (value == null) {
      error(
          exchange,
          400,
          "ResourceNotFoundException",
          "Secrets Manager can't find the specified secret.");
      return;
    }
    ObjectNode answer = JSON.createObjectNode();
    answer.put("ARN", "arn:aws:secretsmanager:us-east-1:000000000000:secret:" + id + "-AbCdEf");
    answer.put("Name", id);
    answer.put("VersionId", "00000000-0000-0000-0000-000000000001");
    answer.put("SecretString", value);
    answer.putArray("VersionStages").add("AWSCURRENT");
    answer.put("CreatedDate", 1735689600.0);
    send(exchange, 200, "application/x-amz-json-1.1", JSON.writeValueAsBytes(answer));
  }

  private static void error(HttpExchange exchange, int status, String type, String message)
      throws IOException {
    ObjectNode e = JSON.createObjectNode().put("__type", type).put("message", message);
    exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
    send(
        exchange,
        status,
        "application/x-amz-json-1.1",
        e.toString().getBytes(StandardCharsets.UTF_8));
  }
}
