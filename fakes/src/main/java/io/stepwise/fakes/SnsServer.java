package io.stepwise.fakes;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Amazon SNS's {@code Publish}, over its real protocol (AWS Query: a form-encoded {@code POST /}
 * with {@code Action=Publish}, answered in XML), so the unchanged SDK client publishes to it. A
 * topic it was not told of gets {@code NotFound} as AWS answers it; {@link #throttleNext} answers
 * the next publishes with {@code Throttling}. Signatures are not checked.
 */
public final class SnsServer extends LoopbackServer {

  private static final String NS = "http://sns.amazonaws.com/doc/2010-03-31/";

  /** One accepted publish: the form fields as sent ({@code TopicArn}, {@code Message}, ...). */
  public record Published(Map<String, String> fields) {
    public String message() {
      return fields.get("Message");
    }

    public String subject() {
      return fields.get("Subject");
    }
  }

  private final List<String> topics = new CopyOnWriteArrayList<>();
  private final List<Published> published = new CopyOnWriteArrayList<>();
  private final AtomicInteger throttled = new AtomicInteger();

  private SnsServer(int port) {
    super(port);
    route("/", this::handle);
    start();
  }

  public static SnsServer start(int port) {
    return new SnsServer(port);
  }

  /** A topic that exists: its ARN. */
  public String topic(String name) {
    String arn = "arn:aws:sns:us-east-1:000000000000:" + name;
    topics.add(arn);
    return arn;
  }

  /** The next {@code n} publishes are refused with {@code Throttling}. */
  public void throttleNext(int n) {
    throttled.set(n);
  }

  public List<Published> published() {
    return List.copyOf(published);
  }

  private void handle(HttpExchange exchange) throws IOException {
    Map<String, String> form =
        form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    if (!"Publish".equals(form.get("Action"))) {
      error(exchange, 400, "InvalidAction", "unsupported action " + form.get("Action"));
      return;
    }
    if (throttled.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      error(exchange, 400, "Throttling", "Rate exceeded");
      return;
    }
    if (!topics.contains(form.get("TopicArn"))) {
      error(exchange, 404, "NotFound", "Topic does not exist");
      return;
    }
    published.add(new Published(Map.copyOf(form)));
    String xml =
        "<PublishResponse xmlns=\""
            + NS
            + "\"><PublishResult><MessageId>"
            + UUID.randomUUID()
            + "</MessageId></PublishResult><ResponseMetadata><RequestId>"
            + UUID.randomUUID()
            + "</RequestId></ResponseMetadata></PublishResponse>";
    send(exchange, 200, "text/xml", xml.getBytes(StandardCharsets.UTF_8));
  }

  private static void error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    String xml =
        "<ErrorResponse xmlns=\""
            + NS
            + "\"><Error><Type>Sender</Type><Code>"
            + code
            + "</Code><Message>"
            + message
            + "</Message></Error><RequestId>"
            + UUID.randomUUID()
            + "</RequestId></ErrorResponse>";
    send(exchange, status, "text/xml", xml.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> form(String body) {
    Map<String, String> fields = new HashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      fields.put(
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return fields;
  }
}
