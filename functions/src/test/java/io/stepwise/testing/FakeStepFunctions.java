package io.stepwise.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local server speaking the AWS Step Functions JSON 1.0 protocol for the calls the API makes (start, stop,
 * describe, redrive, list executions), so tests use the unchanged AWS SDK {@code SfnClient}. It interprets no
 * state machine: executions stay RUNNING until a test completes them. The full emulator lives in {@code local}.
 */
public final class FakeStepFunctions implements AutoCloseable {

  private static final String ERROR_PREFIX = "com.amazonaws.swf.service.v2.model#";

  /** One request as received. */
  public record Call(String operation, JsonNode body) {}

  /** A snapshot of one execution. */
  public record Execution(String executionArn, String name, String input, String status, int redriveCount) {}

  private record Failure(int status, String error, String message) {}

  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final List<Call> calls = new ArrayList<>();
  private final Map<String, Execution> executions = new LinkedHashMap<>();
  private final Map<String, Double> startDates = new HashMap<>();
  private final Map<String, Deque<Failure>> failures = new HashMap<>();

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
    return Optional.ofNullable(executions.get(executionArn));
  }

  public synchronized List<Execution> executions() {
    return List.copyOf(executions.values());
  }

  /** Ends an execution with a terminal status (SUCCEEDED, FAILED, TIMED_OUT, ABORTED). */
  public synchronized void complete(String executionArn, String status, String error, String cause) {
    Execution e = executions.get(executionArn);
    executions.put(executionArn, new Execution(e.executionArn(), e.name(), e.input(), status, e.redriveCount()));
  }

  /** The next call of {@code operation} answers with this error instead; queue several to fail several. */
  public synchronized void failNext(String operation, int httpStatus, String errorName, String message) {
    failures.computeIfAbsent(operation, o -> new ArrayDeque<>()).add(new Failure(httpStatus, errorName, message));
  }

  public synchronized void clearFailures() {
    failures.clear();
  }

  public synchronized void reset() {
    calls.clear();
    executions.clear();
    startDates.clear();
    failures.clear();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
    JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
    int status = 200;
    Object response;
    synchronized (this) {
      calls.add(new Call(operation, body));
      Failure failure = Optional.ofNullable(failures.get(operation)).map(Deque::poll).orElse(null);
      if (failure != null) {
        status = failure.status();
        response = error(failure.error(), failure.message());
      } else {
        try {
          response = dispatch(operation, body);
        } catch (AwsError e) {
          status = 400;
          response = error(e.name, e.getMessage());
        }
      }
    }
    byte[] bytes = json.writeValueAsBytes(response);
    exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
    exchange.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private Object dispatch(String operation, JsonNode body) {
    return switch (operation) {
      case "StartExecution" -> startExecution(body);
      case "StopExecution" -> stopExecution(body);
      case "DescribeExecution" -> describe(existing(body.path("executionArn").asText()));
      case "RedriveExecution" -> redrive(body);
      case "ListExecutions" -> Map.of("executions", executions.values().stream().map(this::describe).toList());
      default -> throw new AwsError("UnknownOperationException", "unknown operation " + operation);
    };
  }

  private Object startExecution(JsonNode body) {
    String machine = body.path("stateMachineArn").asText();
    String name = body.hasNonNull("name") ? body.get("name").asText() : UUID.randomUUID().toString();
    String input = body.hasNonNull("input") ? body.get("input").asText() : "{}";
    String arn = machine.replaceFirst(":stateMachine:", ":execution:") + ":" + name;
    Execution existing = executions.get(arn);
    if (existing != null) {
      if (existing.status().equals("RUNNING") && existing.input().equals(input)) {
        return Map.of("executionArn", arn, "startDate", startDates.get(arn));
      }
      throw new AwsError("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
    }
    executions.put(arn, new Execution(arn, name, input, "RUNNING", 0));
    startDates.put(arn, now());
    return Map.of("executionArn", arn, "startDate", startDates.get(arn));
  }

  private Object stopExecution(JsonNode body) {
    Execution e = existing(body.path("executionArn").asText());
    if (e.status().equals("RUNNING")) {
      executions.put(e.executionArn(), new Execution(e.executionArn(), e.name(), e.input(), "ABORTED", e.redriveCount()));
    }
    return Map.of("stopDate", now());
  }

  private Object redrive(JsonNode body) {
    Execution e = existing(body.path("executionArn").asText());
    if (!List.of("FAILED", "ABORTED", "TIMED_OUT").contains(e.status())) {
      throw new AwsError("ExecutionNotRedrivable", "Execution is " + e.status() + " and cannot be redriven");
    }
    executions.put(e.executionArn(), new Execution(e.executionArn(), e.name(), e.input(), "RUNNING", e.redriveCount() + 1));
    return Map.of("redriveDate", now());
  }

  private Execution existing(String arn) {
    Execution e = executions.get(arn);
    if (e == null) {
      throw new AwsError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
    }
    return e;
  }

  private Map<String, Object> describe(Execution e) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("executionArn", e.executionArn());
    d.put("stateMachineArn", e.executionArn().replaceFirst(":execution:", ":stateMachine:").replaceFirst(":[^:]+$", ""));
    d.put("name", e.name());
    d.put("status", e.status());
    d.put("startDate", startDates.get(e.executionArn()));
    d.put("input", e.input());
    d.put("redriveCount", e.redriveCount());
    if (!e.status().equals("RUNNING")) {
      d.put("stopDate", now());
    }
    return d;
  }

  private ObjectNode error(String name, String message) {
    return json.createObjectNode().put("__type", ERROR_PREFIX + name).put("message", message);
  }

  private static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  private static final class AwsError extends RuntimeException {
    private final String name;

    AwsError(String name, String message) {
      super(message);
      this.name = name;
    }
  }
}
