package io.stepwise.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An in-process HTTP server speaking the AWS Step Functions JSON 1.0 protocol, so tests point the unchanged AWS
 * SDK {@code SfnClient} at {@link #endpoint()} instead of mocking it. It stands in only for the calls the API
 * makes (StartExecution, StopExecution, DescribeExecution, RedriveExecution, ListExecutions) and interprets no
 * state machine: an execution stays RUNNING until it is stopped or a test {@linkplain #complete completes} it.
 * The full emulator lives in the {@code local} module.
 */
public final class FakeStepFunctions implements AutoCloseable {

  private static final String ERROR_PREFIX = "com.amazonaws.swf.service.v2.model#";
  private static final String EXECUTION_ARN_PREFIX = "arn:aws:states:us-east-1:123456789012:execution:";
  private static final List<String> REDRIVABLE = List.of("FAILED", "ABORTED", "TIMED_OUT");

  /** One request as received. */
  public record Call(String operation, JsonNode body) {}

  /** An immutable snapshot of one execution. */
  public record Execution(String executionArn, String name, String input, String status, int redriveCount) {}

  private record Failure(int httpStatus, String errorName, String message) {}

  /** Everything kept about one execution; guarded by the fake's monitor. */
  private static final class State {
    final String arn, stateMachineArn, name, input;
    final Instant startDate;
    String status = "RUNNING", error, cause;
    Instant stopDate;
    int redriveCount;

    State(String arn, String stateMachineArn, String name, String input, Instant startDate) {
      this.arn = arn;
      this.stateMachineArn = stateMachineArn;
      this.name = name;
      this.input = input;
      this.startDate = startDate;
    }

    void end(String newStatus, String newError, String newCause) {
      status = newStatus;
      error = newError;
      cause = newCause;
      stopDate = Instant.now();
    }

    Execution snapshot() {
      return new Execution(arn, name, input, status, redriveCount);
    }
  }

  private final ObjectMapper json = new ObjectMapper();
  // unbounded, so the fake never limits a client's concurrency itself (see maxConcurrent)
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, Long> latencyMs = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Integer> maxInFlight = new java.util.concurrent.ConcurrentHashMap<>();
  private final HttpServer server;
  private final List<Call> calls = new ArrayList<>();
  private final Map<String, State> executions = new LinkedHashMap<>();
  private final Map<String, Queue<Failure>> failures = new HashMap<>();

  private FakeStepFunctions() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public static FakeStepFunctions start() {
    try {
      return new FakeStepFunctions();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the Step Functions fake", e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  public synchronized List<Call> calls(String operation) {
    return calls.stream().filter(c -> c.operation().equals(operation)).toList();
  }

  public synchronized Optional<Execution> execution(String executionArn) {
    return Optional.ofNullable(executions.get(executionArn)).map(State::snapshot);
  }

  public synchronized List<Execution> executions() {
    return executions.values().stream().map(State::snapshot).toList();
  }

  /** Ends an execution with a terminal status (SUCCEEDED, FAILED, TIMED_OUT, ABORTED); error and cause may be null. */
  public synchronized void complete(String executionArn, String status, String error, String cause) {
    State s = executions.get(executionArn);
    if (s == null) {
      throw new IllegalArgumentException("no execution " + executionArn);
    }
    s.end(status, error, cause);
  }

  /** The next call of {@code operation} answers with this error instead; queue several to fail several calls. */
  public synchronized void failNext(String operation, int httpStatus, String errorName, String message) {
    failures.computeIfAbsent(operation, o -> new ArrayDeque<>()).add(new Failure(httpStatus, errorName, message));
  }

  /**
   * Every later call of {@code operation} takes this long to answer, so concurrent calls overlap measurably;
   * {@link #maxConcurrent} starts counting afresh.
   */
  public void latency(String operation, long millis) {
    latencyMs.put(operation, millis);
    maxInFlight.remove(operation);
  }

  /** The most calls of {@code operation} that were in progress at the same time. */
  public int maxConcurrent(String operation) {
    return maxInFlight.getOrDefault(operation, 0);
  }

  /** Drops the queued failures that were not consumed. */
  public synchronized void clearFailures() {
    failures.clear();
  }

  public synchronized void reset() {
    latencyMs.clear();
    maxInFlight.clear();
    calls.clear();
    executions.clear();
    failures.clear();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    int status = 200;
    Object response;
    try {
      String target = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Target")).orElse("");
      String operation = target.substring(target.indexOf('.') + 1);
      trackAndDelay(operation);
      byte[] request = exchange.getRequestBody().readAllBytes();
      JsonNode body = request.length == 0 ? json.createObjectNode() : json.readTree(request);
      synchronized (this) {
        calls.add(new Call(operation, body));
        Failure failure = Optional.ofNullable(failures.get(operation)).map(Queue::poll).orElse(null);
        if (failure != null) {
          status = failure.httpStatus();
          response = error(failure.errorName(), failure.message());
        } else {
          response = dispatch(operation, body);
        }
      }
    } catch (AwsError e) {
      status = 400;
      response = error(e.name, e.getMessage());
    } catch (IOException | RuntimeException e) {
      status = 500;
      response = error("InternalFailure", String.valueOf(e));
    }
    String op = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Target")).map(t -> t.substring(t.indexOf('.') + 1)).orElse("");
    Optional.ofNullable(inFlight.get(op)).ifPresent(java.util.concurrent.atomic.AtomicInteger::decrementAndGet);
    byte[] bytes = json.writeValueAsBytes(response);
    exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
    exchange.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Outside the monitor: concurrent calls must be able to overlap here. */
  private void trackAndDelay(String operation) {
    int now = inFlight.computeIfAbsent(operation, o -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
    maxInFlight.merge(operation, now, Math::max);
    long delay = latencyMs.getOrDefault(operation, 0L);
    if (delay > 0) {
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Object dispatch(String operation, JsonNode body) {
    return switch (operation) {
      case "StartExecution" -> startExecution(body);
      case "StopExecution" -> stopExecution(body);
      case "DescribeExecution" -> describe(existing(body));
      case "RedriveExecution" -> redriveExecution(body);
      case "ListExecutions" -> listExecutions(body);
      default -> throw new AwsError("UnknownOperationException", "Unknown operation " + operation);
    };
  }

  private Object startExecution(JsonNode body) {
    String machine = body.path("stateMachineArn").asText();
    String name = body.hasNonNull("name") ? body.get("name").asText() : UUID.randomUUID().toString();
    String input = body.hasNonNull("input") ? body.get("input").asText() : "{}";
    String arn = EXECUTION_ARN_PREFIX + machine.substring(machine.lastIndexOf(':') + 1) + ":" + name;
    State s = executions.get(arn);
    if (s != null && !(s.status.equals("RUNNING") && s.input.equals(input))) {
      throw new AwsError("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
    }
    if (s == null) {
      s = new State(arn, machine, name, input, Instant.now());
      executions.put(arn, s);
    }
    return Map.of("executionArn", arn, "startDate", epoch(s.startDate));
  }

  private Object stopExecution(JsonNode body) {
    State s = existing(body);
    if (s.status.equals("RUNNING")) {
      s.end("ABORTED", text(body, "error"), text(body, "cause"));
    }
    return Map.of("stopDate", epoch(s.stopDate != null ? s.stopDate : Instant.now()));
  }

  private Object redriveExecution(JsonNode body) {
    State s = existing(body);
    if (!REDRIVABLE.contains(s.status)) {
      throw new AwsError("ExecutionNotRedrivable", "Execution '" + s.arn + "' is " + s.status + " and cannot be redriven");
    }
    s.status = "RUNNING";
    s.error = s.cause = null;
    s.stopDate = null;
    s.redriveCount++;
    return Map.of("redriveDate", epoch(Instant.now()));
  }

  private Object listExecutions(JsonNode body) {
    String machine = body.path("stateMachineArn").asText();
    String filter = text(body, "statusFilter");
    List<Map<String, Object>> items = executions.values().stream()
        .filter(s -> s.stateMachineArn.equals(machine) && (filter == null || s.status.equals(filter)))
        .map(s -> {
          Map<String, Object> item = summary(s);
          item.remove("input");
          return item;
        })
        .toList();
    return Map.of("executions", items);
  }

  private Map<String, Object> describe(State s) {
    Map<String, Object> d = summary(s);
    if (s.stopDate != null) d.put("stopDate", epoch(s.stopDate));
    if (s.error != null) d.put("error", s.error);
    if (s.cause != null) d.put("cause", s.cause);
    return d;
  }

  private static Map<String, Object> summary(State s) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("executionArn", s.arn);
    d.put("stateMachineArn", s.stateMachineArn);
    d.put("name", s.name);
    d.put("status", s.status);
    d.put("startDate", epoch(s.startDate));
    d.put("input", s.input);
    d.put("redriveCount", s.redriveCount);
    return d;
  }

  private State existing(JsonNode body) {
    String arn = body.path("executionArn").asText();
    State s = executions.get(arn);
    if (s == null) {
      throw new AwsError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
    }
    return s;
  }

  private ObjectNode error(String name, String message) {
    return json.createObjectNode().put("__type", ERROR_PREFIX + name).put("message", message);
  }

  private static String text(JsonNode body, String field) {
    return body.hasNonNull(field) ? body.get(field).asText() : null;
  }

  /** Epoch seconds with millisecond precision, written as a plain JSON number such as 1732312345.123. */
  private static BigDecimal epoch(Instant instant) {
    return BigDecimal.valueOf(instant.toEpochMilli(), 3);
  }

  private static final class AwsError extends RuntimeException {
    private final String name;

    AwsError(String name, String message) {
      super(message);
      this.name = name;
    }
  }
}
