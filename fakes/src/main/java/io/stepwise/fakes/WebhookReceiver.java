package io.stepwise.fakes;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook endpoint ({@code POST /hook}) that records deliveries with their headers and honours
 * {@code Idempotency-Key}: a repeated key is answered with the first delivery's result and not
 * recorded again.
 */
public final class WebhookReceiver extends LoopbackServer {

  /** One accepted delivery. */
  public record Delivery(Map<String, String> headers, String body) {}

  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  private final Map<String, String> byKey = new ConcurrentHashMap<>();
  private final Deque<Fault> faults = new ArrayDeque<>();

  private WebhookReceiver(int port) {
    super(port);
    route("/hook", this::handle);
    start();
  }

  public static WebhookReceiver start(int port) {
    return new WebhookReceiver(port);
  }

  public String url() {
    return baseUrl() + "/hook";
  }

  public List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /**
   * The next delivery is accepted (recorded) and then answered with this fault, e.g. a hang past
   * the timeout.
   */
  public synchronized void failNext(Fault fault) {
    faults.add(fault);
  }

  public synchronized void reset() {
    deliveries.clear();
    byKey.clear();
    faults.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    String earlier = key == null ? null : byKey.get(key);
    if (earlier != null) {
      send(exchange, 200, "application/json", earlier.getBytes(StandardCharsets.UTF_8));
      return;
    }
    Fault fault;
    synchronized (this) {
      fault = faults.poll();
    }
    if (fault != null && fault.answers() && fault.status() >= 400) {
      send(exchange, fault.status(), "text/plain", fault.body().getBytes(StandardCharsets.UTF_8));
      return;
    }
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
    deliveries.add(new Delivery(headers, body));
    String result = "{\"id\":\"hook-" + deliveries.size() + "\"}";
    if (key != null) {
      byKey.put(key, result);
    }
    if (fault != null) {
      pause(fault.delayMillis());
      if (fault.hang()) {
        return;
      }
    }
    send(exchange, 200, "application/json", result.getBytes(StandardCharsets.UTF_8));
  }
}
