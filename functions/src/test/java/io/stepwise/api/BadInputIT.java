package io.stepwise.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.testing.ApiClient;
import io.stepwise.testing.ApiClient.Response;
import io.stepwise.testing.LocalServicesBase;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed requests through the real API Lambda handler: every kind the strict-input rule names,
 * on every route that takes a body, gets its exact 4xx as a problem in our own words, and changes
 * nothing (no task, no batch, no execution started).
 */
@MicronautTest(environments = {"test", "scripted"})
class BadInputIT extends LocalServicesBase {

  private static final List<String> INTERNALS =
      List.of("com.fasterxml", "StreamReadConstraints", "io.micronaut", "Exception", "java.");
  private static final AtomicInteger CASES = new AtomicInteger();
  private static final AtomicInteger SERVER_ERRORS = new AtomicInteger();
  private static final AtomicInteger ACCEPTED = new AtomicInteger();

  ApiClient api;
  String taskId;
  String batchId;

  @BeforeAll
  void clients() {
    api = new ApiClient(context);
    taskId = api.post("/api/tasks", "{}").text("taskId");
    batchId = api.post("/api/batches", "{\"count\":1}").text("batchId");
  }

  /** A body route and a valid body with {@code %s} inside one of its string values. */
  record Route(String path, String template) {
    byte[] with(byte[] inString) {
      String[] halves = template.split("%s", 2);
      return concat(halves[0].getBytes(UTF_8), inString, halves[1].getBytes(UTF_8));
    }
  }

  private static final List<Route> ROUTES =
      List.of(
          new Route("/api/tasks", "{\"name\":\"%s\"}"),
          new Route("/api/batches", "{\"count\":1,\"task\":{\"name\":\"%s\"}}"),
          new Route("/api/tasks/{task}/retry", "{\"note\":\"%s\"}"),
          new Route("/api/tasks/{task}/retry/shout", "{\"note\":\"%s\"}"),
          new Route("/api/tasks/{task}/cancel", "{\"note\":\"%s\"}"),
          new Route("/api/batches/{batch}/retry-failed", "{\"note\":\"%s\"}"));

  static Stream<Arguments> badBodies() {
    List<Arguments> cases = new ArrayList<>();
    for (Route r : ROUTES) {
      byte[] valid = r.with("ok".getBytes(UTF_8));
      String json = "application/json";
      cases.add(
          Arguments.of("trailing data", r.path(), concat(valid, " x".getBytes(UTF_8)), json, 400));
      cases.add(
          Arguments.of(
              "trailing garbage", r.path(), concat(valid, "]".getBytes(UTF_8)), json, 400));
      cases.add(Arguments.of("two documents", r.path(), concat(valid, valid), json, 400));
      cases.add(
          Arguments.of(
              "two documents, newline",
              r.path(),
              concat(valid, "\n".getBytes(UTF_8), valid),
              json,
              400));
      cases.add(
          Arguments.of(
              "leading BOM",
              r.path(),
              concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, valid),
              json,
              400));
      cases.add(
          Arguments.of(
              "NUL after the document", r.path(), concat(valid, new byte[] {0}), json, 400));
      cases.add(
          Arguments.of(
              "NUL before the document", r.path(), concat(new byte[] {0}, valid), json, 400));
      cases.add(
          Arguments.of(
              "invalid UTF-8 byte", r.path(), r.with(new byte[] {(byte) 0xFF}), json, 400));
      cases.add(
          Arguments.of(
              "truncated UTF-8 sequence",
              r.path(),
              r.with(new byte[] {(byte) 0xC3, '('}),
              json,
              400));
      cases.add(
          Arguments.of(
              "overlong UTF-8",
              r.path(),
              r.with(new byte[] {(byte) 0xC0, (byte) 0xAF}),
              json,
              400));
      cases.add(
          Arguments.of(
              "UTF-8 encoded surrogate",
              r.path(),
              r.with(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
              json,
              400));
      cases.add(
          Arguments.of(
              "escaped lone high surrogate",
              r.path(),
              r.with("\\uD800".getBytes(UTF_8)),
              json,
              400));
      cases.add(
          Arguments.of(
              "escaped lone low surrogate",
              r.path(),
              r.with("\\uDC00x".getBytes(UTF_8)),
              json,
              400));
      cases.add(
          Arguments.of(
              "escaped reversed surrogates",
              r.path(),
              r.with("\\uDC00\\uD800".getBytes(UTF_8)),
              json,
              400));
      cases.add(Arguments.of("duplicate key", r.path(), dup(r), json, 400));
      cases.add(Arguments.of("null root", r.path(), "null".getBytes(UTF_8), json, 400));
      cases.add(Arguments.of("null root, spaced", r.path(), " null \n".getBytes(UTF_8), json, 400));
      cases.add(
          Arguments.of(
              "unknown charset", r.path(), valid, "application/json; charset=klingon", 415));
      cases.add(
          Arguments.of(
              "other charset", r.path(), valid, "application/json; charset=ISO-8859-1", 415));
      cases.add(
          Arguments.of("UTF-16 charset", r.path(), valid, "application/json; charset=utf-16", 415));
      cases.add(Arguments.of("empty charset", r.path(), valid, "application/json; charset=", 415));
      cases.add(
          Arguments.of("charset without value", r.path(), valid, "application/json; charset", 415));
      cases.add(
          Arguments.of(
              "illegal charset name", r.path(), valid, "application/json; charset=\"<>\"", 415));
      cases.add(Arguments.of("malformed media type", r.path(), valid, "json", 415));
    }
    return cases.stream();
  }

  private static byte[] dup(Route r) {
    String template = r.template();
    int brace = template.lastIndexOf('{');
    String field = template.substring(brace + 2, template.indexOf('"', brace + 2));
    String withDup =
        template.substring(0, brace + 1)
            + "\""
            + field
            + "\":\"a\","
            + template.substring(brace + 1);
    return withDup.replace("%s", "b").getBytes(UTF_8);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("badBodies")
  void badBody_isRefusedWithItsStatus_andChangesNothing(
      String kind, String path, byte[] body, String contentType, int status) {
    refusedAndNothingChanged(kind, "POST", path, body, Map.of("content-type", contentType), status);
  }

  static Stream<Arguments> badIds() {
    String huge = "x".repeat(3000);
    String long201 = "a".repeat(201);
    List<Arguments> cases = new ArrayList<>();
    for (String id : List.of(huge, long201, "a%20b", "a%00b", "%E2%9C%93")) {
      cases.add(Arguments.of("GET", "/api/tasks/" + id));
      cases.add(Arguments.of("GET", "/api/tasks/" + id + "/checkpoint"));
      cases.add(Arguments.of("POST", "/api/tasks/" + id + "/cancel"));
      cases.add(Arguments.of("POST", "/api/tasks/" + id + "/retry"));
      cases.add(Arguments.of("POST", "/api/tasks/" + id + "/retry/shout"));
      cases.add(Arguments.of("GET", "/api/batches/" + id));
      cases.add(Arguments.of("GET", "/api/batches/" + id + "/failed"));
      cases.add(Arguments.of("POST", "/api/batches/" + id + "/retry-failed"));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("badIds")
  void idTheTableCannotHold_is404_andChangesNothing(String method, String path) {
    refusedAndNothingChanged("bad id", method, path, null, Map.of(), 404);
  }

  private void refusedAndNothingChanged(
      String kind,
      String method,
      String path,
      byte[] body,
      Map<String, String> headers,
      int status) {
    String resolved = path.replace("{task}", taskId).replace("{batch}", batchId);
    long tasksBefore = taskCount();
    int startsBefore = sfn.calls("StartExecution").size();

    Response r =
        body == null
            ? api.send(method, resolved, null, headers, null)
            : api.sendBytes(method, resolved, body, headers);

    CASES.incrementAndGet();
    if (r.status() >= 500) {
      SERVER_ERRORS.incrementAndGet();
    }
    if (r.status() < 300) {
      ACCEPTED.incrementAndGet();
    }
    assertThat(r.status()).as("%s %s -> %s", kind, path, r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith(Problem.MEDIA_TYPE);
    assertThat(r.text("status")).isEqualTo(Integer.toString(status));
    String detail = r.text("detail");
    assertThat(detail).isNotBlank().hasSizeLessThan(300);
    INTERNALS.forEach(word -> assertThat(detail).as("detail of %s", kind).doesNotContain(word));
    assertThat(header(r, "X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(header(r, "Cache-Control")).isEqualTo("no-store");
    assertThat(taskCount()).as("tasks after %s", kind).isEqualTo(tasksBefore);
    assertThat(sfn.calls("StartExecution")).as("executions after %s", kind).hasSize(startsBefore);
  }

  @Test
  void utf8Charset_inAnySpelling_isAccepted() {
    for (String type :
        List.of(
            "application/json; charset=utf-8",
            "application/json;charset=\"UTF-8\"",
            "application/json")) {
      Response r =
          api.sendBytes(
              "POST",
              "/api/tasks",
              "{\"name\":\"caf\u00e9 \uD83D\uDE00\"}".getBytes(UTF_8),
              Map.of("content-type", type));
      assertThat(r.status()).as(type + " -> " + r.body()).isEqualTo(202);
      assertThat(r.json().get("input").get("name").getStringValue())
          .isEqualTo("caf\u00e9 \uD83D\uDE00");
    }
  }

  @Test
  void everyResponse_isNosniff_andApiResponsesAreNotStored() {
    for (Response r :
        List.of(
            api.get("/api/tasks/stats"),
            api.get("/api/tasks/unknown-id"),
            api.get("/api/no-such-route"))) {
      assertThat(header(r, "X-Content-Type-Options")).as(r.body()).isEqualTo("nosniff");
      assertThat(header(r, "Cache-Control")).as(r.body()).isEqualTo("no-store");
    }
    assertThat(header(api.get("/"), "X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @AfterAll
  static void counts() {
    System.out.printf(
        "%d bad-input cases, %d 5xx, %d accepted%n",
        CASES.get(), SERVER_ERRORS.get(), ACCEPTED.get());
  }

  private long taskCount() {
    Response stats = api.get("/api/tasks/stats");
    long n = 0;
    for (var e : stats.json().entries()) {
      n += e.getValue().getLongValue();
    }
    return n;
  }

  private static String header(Response r, String name) {
    return r.headers().entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
