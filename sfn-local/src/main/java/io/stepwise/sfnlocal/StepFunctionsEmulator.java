package io.stepwise.sfnlocal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * AWS Step Functions on a local port, speaking the AWS JSON 1.0 protocol ({@code X-Amz-Target:
 * AWSStepFunctions.<Operation>}) so that the unchanged AWS SDK {@code SfnClient} works against it.
 * Executions run on their own threads through the {@link Interpreter}; every status change is
 * published as an EventBridge "Step Functions Execution Status Change" event (JSON) to the
 * listener, at least once and in order per execution, as EventBridge delivers to a target: a
 * listener that throws gets the event again later (backing off up to {@link
 * #MAX_REDELIVERY_DELAY}), and later events of that execution wait behind it. Executions live in
 * memory, or on disk with a state directory; there an event is persisted before it is delivered,
 * and one not yet delivered when the emulator stopped (a crash, a listener that never returned) is
 * delivered by {@link #resume} after the restart. Tests can see every request first through a
 * {@link RequestHook} (to record calls, add latency or answer with an AWS error) and inspect
 * executions in-process ({@link #execution}).
 */
public final class StepFunctionsEmulator implements AutoCloseable {

  public static final String REGION = "us-east-1";
  public static final String ACCOUNT = "000000000000";
  private static final String ERROR_PREFIX = "com.amazonaws.swf.service.v2.model#";
  private static final ObjectMapper STRICT_JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  static final Duration FIRST_REDELIVERY_DELAY = Duration.ofMillis(200);
  public static final Duration MAX_REDELIVERY_DELAY = Duration.ofSeconds(30);

  /**
   * {@code restored}: read back from the state directory, not yet created again since this emulator
   * started.
   */
  record Machine(
      String arn,
      String name,
      String definition,
      JsonNode parsed,
      String roleArn,
      Instant created,
      boolean restored,
      String type) {}

  private final HttpServer server;
  // unbounded, as the service is: the emulator never limits how many calls a client has in flight
  private final ExecutorService http = Executors.newCachedThreadPool(daemon("sfn-http"));
  private final ExecutorService runners = Executors.newCachedThreadPool(daemon("sfn-execution"));
  private final ExecutorService taskCalls = Executors.newCachedThreadPool(daemon("sfn-task"));
  // one thread: status events are delivered one at a time, in the order they were published
  private final ScheduledExecutorService events =
      Executors.newSingleThreadScheduledExecutor(daemon("sfn-events"));
  private volatile boolean closed;
  private final Map<String, Machine> machines = new LinkedHashMap<>();
  private final Map<String, Execution> executions = new LinkedHashMap<>();
  private final Map<String, String> redriveTokens = new LinkedHashMap<>();
  private final TaskTokens taskTokens = new TaskTokens();
  private final Tags tags = new Tags(machines::containsKey);
  private final Map<String, Instant> updates = new LinkedHashMap<>();
  private final MockConfig mocks;
  private final Interpreter interpreter;
  private final Consumer<String> statusEvents;
  private final ExecutionStore store;
  private final String account;
  private final RequestHook hook;

  /**
   * @param port 0 for any free port
   * @param lambdas how Task states reach functions
   * @param timeScale factor for Retry intervals and Waits (0.01 in tests)
   * @param statusEvents receives each EventBridge event JSON, in order, off the execution threads;
   *     an event is delivered when this returns, and delivered again later when it throws
   */
  public StepFunctionsEmulator(
      int port, LambdaInvoker lambdas, double timeScale, Consumer<String> statusEvents) {
    this(port, lambdas, timeScale, statusEvents, null);
  }

  /**
   * With a {@code stateDir}, state machines and executions are persisted there and {@link #resume}
   * continues the RUNNING ones after a restart: from the last task state that completed (its
   * handler must be idempotent, as ours are), so the in-flight state re-runs and a completed result
   * that the local store lost is redone. The first CreateStateMachine of a restored name after a
   * restart may change its definition (the workflow file may have been edited meanwhile); after
   * that, as on AWS, a different definition is StateMachineAlreadyExists.
   */
  public StepFunctionsEmulator(
      int port,
      LambdaInvoker lambdas,
      double timeScale,
      Consumer<String> statusEvents,
      Path stateDir) {
    this(
        builder()
            .port(port)
            .lambdas(lambdas)
            .timeScale(timeScale)
            .statusEvents(statusEvents)
            .stateDir(stateDir));
  }

  private StepFunctionsEmulator(Builder b) {
    this.statusEvents = b.statusEvents;
    this.store = b.stateDir == null ? null : new ExecutionStore(b.stateDir);
    this.account = b.account;
    this.hook = b.hook;
    this.mocks = b.mocks;
    int port = b.port;
    this.interpreter =
        new Interpreter(
            b.lambdas, b.timeScale, taskCalls, this::publish, this::persist, taskTokens);
    if (store != null) {
      store.loadMachines().forEach(m -> machines.put(m.arn(), m));
      for (Execution ex : store.loadAll()) {
        executions.put(ex.arn, ex);
        ex.callbacks().forEach(c -> taskTokens.register(c.token, ex));
        ex.closedTokens().forEach(t -> taskTokens.register(t, ex));
      }
    }
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on 127.0.0.1:" + port, e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(http);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The ARN of a state machine of the default account ({@link #ACCOUNT}). */
  public static String stateMachineArn(String name) {
    return "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:" + name;
  }

  /**
   * The account this emulator creates state machines in (as if the caller's credentials belonged to
   * it).
   */
  public String account() {
    return account;
  }

  /**
   * CreateStateMachine in-process, with the same checks; returns the ARN.
   *
   * @throws IllegalArgumentException where CreateStateMachine answers an error (invalid definition,
   *     another definition under that name)
   */
  public synchronized String createStateMachine(String name, String definition) {
    ObjectNode request =
        Paths.JSON
            .createObjectNode()
            .put("name", name)
            .put("definition", definition)
            .put("roleArn", "arn:aws:iam::" + account + ":role/stepwise-sfn-local");
    try {
      return ((JsonNode) createStateMachine(request)).path("stateMachineArn").asText();
    } catch (AwsError e) {
      throw new IllegalArgumentException(e.name + ": " + e.getMessage());
    }
  }

  /**
   * One execution as it is now, without going through the protocol; empty when there is none with
   * that ARN.
   */
  public synchronized Optional<ExecutionSummary> execution(String executionArn) {
    return Optional.ofNullable(executions.get(executionArn)).map(StepFunctionsEmulator::summary);
  }

  /** Every execution, oldest first. */
  public synchronized List<ExecutionSummary> executions() {
    return executions.values().stream().map(StepFunctionsEmulator::summary).toList();
  }

  private static ExecutionSummary summary(Execution ex) {
    synchronized (ex) {
      return new ExecutionSummary(
          ex.arn,
          ex.stateMachineArn,
          ex.name,
          ex.input,
          ex.status,
          ex.redriveCount,
          ex.output,
          ex.error,
          ex.cause);
    }
  }

  /**
   * Continues every persisted RUNNING execution of this state machine from the state it was in
   * (call after the state machine is registered, and once the listener is ready for events). First,
   * delivers the status events of this state machine's executions (ended or not) that were
   * persisted but not delivered before the restart: each execution's in their order, ahead of any
   * event its resumed run publishes. A callback task that was waiting keeps its token: the resumed
   * run waits for it again (its heartbeat clock restarted) rather than calling its resource again,
   * and a completed one that the resume replays gives its result again. Returns how many resumed.
   */
  public synchronized int resume(String stateMachineArn) {
    Machine machine = machine(stateMachineArn);
    for (Execution ex : executions.values()) {
      if (ex.stateMachineArn.equals(stateMachineArn) && ex.nextStatusEvent() != null) {
        queueDelivery(ex, 0);
      }
    }
    int resumed = 0;
    for (Execution ex : executions.values()) {
      if (ex.stateMachineArn.equals(stateMachineArn)
          && ex.status.equals("RUNNING")
          && ex.resumeState != null) {
        ex.event("ExecutionResumed", null, null);
        String from = ex.replayState != null ? ex.replayState : ex.resumeState;
        synchronized (ex) {
          for (Callback c : ex.callbacks()) {
            // one still waiting (or answered, not yet taken) is picked up where it is; one whose
            // result was taken only when the resume starts by replaying its state
            c.restored =
                c.outcome() == null
                    || !c.consumed && c.outcome().kind() != Callback.Kind.CLOSED
                    || c.consumed
                        && c.outcome().kind() == Callback.Kind.SUCCEEDED
                        && c.key.equals(from);
          }
        }
        if (ex.replayState != null) {
          launch(ex, machine, ex.replayState, ex.replayInput);
        } else {
          launch(ex, machine, ex.resumeState, ex.resumeInput);
        }
        resumed++;
      }
    }
    return resumed;
  }

  /**
   * Resumes the RUNNING executions of every state machine (see {@link #resume}); returns how many
   * resumed.
   */
  public synchronized int resumeAll() {
    int resumed = 0;
    for (String arn : List.copyOf(machines.keySet())) {
      resumed += resume(arn);
    }
    return resumed;
  }

  private void persist(Execution ex) {
    if (store != null && !ex.express) {
      store.save(ex);
    }
  }

  /**
   * Stops at once, as a crash would: nothing more is delivered or written. Status events not yet
   * delivered stay in the state directory for the next emulator (in memory they are dropped).
   */
  @Override
  public void close() {
    closed = true;
    if (store != null) {
      store.close();
    }
    server.stop(0);
    runners.shutdownNow();
    taskCalls.shutdownNow();
    events.shutdownNow();
    http.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
      int status = 200;
      Object body;
      boolean hooked = false;
      try {
        JsonNode parsed = Paths.JSON.readTree(exchange.getRequestBody().readAllBytes());
        JsonNode request = parsed == null ? Paths.JSON.createObjectNode() : parsed;
        // the hook runs outside the emulator's lock, so that calls it delays overlap as they would
        // on AWS
        hooked = true;
        hook.before(operation, request);
        body =
            switch (operation) {
              // these run a workflow to its end on the calling thread: outside the emulator's lock
              case "StartSyncExecution" -> startSyncExecution(request);
              case "TestState" -> testState(request);
              // these decide under the execution's lock alone: answers for one token race there
              case "SendTaskSuccess" -> sendTaskSuccess(request);
              case "SendTaskFailure" -> sendTaskFailure(request);
              case "SendTaskHeartbeat" -> sendTaskHeartbeat(request);
              default -> dispatch(operation, request);
            };
      } catch (AwsError e) {
        status = 400;
        body = error(e.name, e.getMessage());
      } catch (RequestHook.Refusal e) {
        status = e.httpStatus();
        body = error(e.errorName(), e.getMessage());
      } catch (IOException e) {
        status = 400;
        body = error("SerializationException", e.getMessage());
      } finally {
        if (hooked) {
          hook.after(operation);
        }
      }
      byte[] bytes = Paths.JSON.writeValueAsBytes(body);
      exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
      exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static ObjectNode error(String name, String message) {
    return Paths.JSON.createObjectNode().put("__type", ERROR_PREFIX + name).put("message", message);
  }

  private synchronized Object dispatch(String operation, JsonNode r) {
    return switch (operation) {
      case "CreateStateMachine" -> createStateMachine(r);
      case "ValidateStateMachineDefinition" -> validateDefinition(r);
      case "UpdateStateMachine" -> updateStateMachine(r);
      case "DeleteStateMachine" -> deleteStateMachine(r);
      case "DescribeStateMachine" -> describeMachine(machine(r.path("stateMachineArn").asText()));
      case "DescribeStateMachineForExecution" -> describeMachineForExecution(r);
      case "ListStateMachines" -> listStateMachines(r);
      case "ListTagsForResource" -> tags.list(r);
      case "TagResource" -> tags.tag(r);
      case "UntagResource" -> tags.untag(r);
      case "StartExecution" -> startExecution(r);
      case "DescribeExecution" -> describe(existing(r.path("executionArn").asText()));
      case "StopExecution" -> stopExecution(r);
      case "RedriveExecution" -> redrive(r);
      case "GetExecutionHistory" -> history(r);
      case "ListExecutions" -> listExecutions(r);
      default -> throw new AwsError("UnknownOperationException", "unknown operation " + operation);
    };
  }

  private Object createStateMachine(JsonNode r) {
    String name = r.path("name").asText();
    Names.requireValid(name, "state machine");
    String definition = r.path("definition").asText();
    JsonNode parsed = validDefinition(definition);
    String type = r.path("type").asText("STANDARD");
    if (!type.equals("STANDARD") && !type.equals("EXPRESS")) {
      throw new AwsError(
          "ValidationException",
          "1 validation error detected: Value '"
              + type
              + "' at 'type' failed to satisfy constraint: "
              + "Member must satisfy enum value set: [STANDARD, EXPRESS]");
    }
    if (type.equals("EXPRESS")) {
      requireExpressSupport(parsed);
    }
    String arn = "arn:aws:states:" + REGION + ":" + account + ":stateMachine:" + name;
    Machine existing = machines.get(arn);
    if (existing != null && !existing.restored() && !existing.definition().equals(definition)) {
      throw new AwsError(
          "StateMachineAlreadyExists", "State Machine Already Exists: '" + arn + "'");
    }
    Machine machine;
    if (existing != null && existing.definition().equals(definition)) {
      machine =
          new Machine(
              arn,
              name,
              definition,
              existing.parsed(),
              existing.roleArn(),
              existing.created(),
              false,
              existing.type());
    } else {
      Instant created = existing != null ? existing.created() : Instant.now();
      machine =
          new Machine(
              arn, name, definition, parsed, r.path("roleArn").asText(), created, false, type);
      if (store != null) {
        store.save(machine);
      }
    }
    machines.put(arn, machine);
    tags.put(arn, r.path("tags"));
    ObjectNode out = Paths.JSON.createObjectNode().put("stateMachineArn", arn);
    out.put("creationDate", epoch(machine.created()));
    return out;
  }

  /**
   * The parsed definition, or InvalidDefinition listing every problem (code, message and location).
   */
  private static JsonNode validDefinition(String definition) {
    List<Validator.Diagnostic> problems = Validator.validate(definition);
    if (!problems.isEmpty()) {
      throw new AwsError(
          "InvalidDefinition",
          "Invalid State Machine Definition: '"
              + String.join(", ", problems.stream().map(Validator.Diagnostic::describe).toList())
              + "'");
    }
    try {
      return Paths.JSON.readTree(definition);
    } catch (IOException e) {
      throw new AwsError(
          "InvalidDefinition", "Invalid State Machine Definition: " + e.getMessage());
    }
  }

  private static void requireExpressSupport(JsonNode parsed) {
    List<Validator.Diagnostic> problems = Validator.expressProblems(parsed);
    if (!problems.isEmpty()) {
      throw new AwsError(
          "InvalidDefinition",
          "Invalid State Machine Definition: '"
              + String.join(", ", problems.stream().map(Validator.Diagnostic::describe).toList())
              + "'");
    }
  }

  private Object validateDefinition(JsonNode r) {
    int max = r.path("maxResults").asInt(0) <= 0 ? 100 : r.path("maxResults").asInt();
    List<Validator.Diagnostic> problems = Validator.validate(r.path("definition").asText(null));
    ObjectNode out =
        Paths.JSON.createObjectNode().put("result", problems.isEmpty() ? "OK" : "FAIL");
    ArrayNode list = out.putArray("diagnostics");
    problems.stream()
        .limit(max)
        .forEach(
            d ->
                list.addObject()
                    .put("severity", "ERROR")
                    .put("code", d.code())
                    .put("message", d.message())
                    .put("location", d.location()));
    out.put("truncated", problems.size() > max);
    return out;
  }

  private Object updateStateMachine(JsonNode r) {
    Machine m = machine(r.path("stateMachineArn").asText());
    if (!r.hasNonNull("definition")
        && !r.hasNonNull("roleArn")
        && !r.has("loggingConfiguration")
        && !r.has("tracingConfiguration")) {
      throw new AwsError(
          "MissingRequiredParameter",
          "Either the definition, the roleArn, the loggingConfiguration or the tracingConfiguration must be specified");
    }
    String definition = r.hasNonNull("definition") ? r.get("definition").asText() : m.definition();
    JsonNode parsed = r.hasNonNull("definition") ? validDefinition(definition) : m.parsed();
    if (m.type().equals("EXPRESS")) {
      requireExpressSupport(parsed);
    }
    String role = r.hasNonNull("roleArn") ? r.get("roleArn").asText() : m.roleArn();
    Machine updated =
        new Machine(m.arn(), m.name(), definition, parsed, role, m.created(), false, m.type());
    machines.put(m.arn(), updated);
    updates.put(m.arn(), Instant.now());
    if (store != null) {
      store.save(updated);
    }
    return Paths.JSON.createObjectNode().put("updateDate", epoch(updates.get(m.arn())));
  }

  /**
   * Deleted at once (AWS first marks it DELETING); executions already running finish on the old
   * definition.
   */
  private Object deleteStateMachine(JsonNode r) {
    String arn = Names.requireArn(r.path("stateMachineArn").asText(), "stateMachine");
    Machine m = machines.remove(arn);
    tags.remove(arn);
    if (m != null && store != null) {
      store.delete(m);
    }
    return Paths.JSON.createObjectNode();
  }

  private Object describeMachineForExecution(JsonNode r) {
    Execution ex = existing(r.path("executionArn").asText());
    Machine m = machine(ex.stateMachineArn);
    ObjectNode out =
        Paths.JSON
            .createObjectNode()
            .put("stateMachineArn", m.arn())
            .put("name", m.name())
            .put("definition", m.definition())
            .put("roleArn", m.roleArn())
            .put("updateDate", epoch(updates.getOrDefault(m.arn(), m.created())));
    return out;
  }

  private Object describeMachine(Machine m) {
    return Paths.JSON
        .createObjectNode()
        .put("stateMachineArn", m.arn())
        .put("name", m.name())
        .put("status", "ACTIVE")
        .put("definition", m.definition())
        .put("roleArn", m.roleArn())
        .put("type", m.type())
        .put("creationDate", epoch(m.created()));
  }

  private Object listStateMachines(JsonNode r) {
    List<ObjectNode> list = new ArrayList<>();
    machines
        .values()
        .forEach(
            m ->
                list.add(
                    Paths.JSON
                        .createObjectNode()
                        .put("stateMachineArn", m.arn())
                        .put("name", m.name())
                        .put("type", m.type())
                        .put("creationDate", epoch(m.created()))));
    return page(list, r, "stateMachines");
  }

  private Object startExecution(JsonNode r) {
    String requested = r.path("stateMachineArn").asText();
    Machine machine =
        machine(
            requested.contains("#") ? requested.substring(0, requested.indexOf('#')) : requested);
    MockConfig.TestCase testCase = testCase(requested, machine);
    String name = r.hasNonNull("name") ? r.get("name").asText() : UUID.randomUUID().toString();
    Names.requireValid(name, "execution");
    String input = r.hasNonNull("input") ? r.get("input").asText() : "{}";
    JsonNode parsedInput = parseInput(input);
    String arn = machine.arn().replaceFirst(":stateMachine:", ":execution:") + ":" + name;
    Execution existing = executions.get(arn);
    if (existing != null) {
      if (existing.status.equals("RUNNING") && existing.input.equals(input)) {
        return Paths.JSON
            .createObjectNode()
            .put("executionArn", arn)
            .put("startDate", epoch(existing.startDate));
      }
      throw new AwsError("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
    }
    Execution ex = new Execution(arn, name, machine.arn(), input, Instant.now());
    ex.testCase = testCase;
    ex.roleArn = machine.roleArn();
    executions.put(arn, ex);
    started(ex);
    publish(ex);
    launch(ex, machine, machine.parsed().path("StartAt").asText(), parsedInput);
    return Paths.JSON
        .createObjectNode()
        .put("executionArn", arn)
        .put("startDate", epoch(ex.startDate));
  }

  private static JsonNode parseInput(String input) {
    try {
      JsonNode parsed = Paths.JSON.readTree(input);
      if (parsed == null) {
        throw new AwsError("InvalidExecutionInput", "Invalid execution input: empty");
      }
      return parsed;
    } catch (IOException e) {
      throw new AwsError("InvalidExecutionInput", "Invalid execution input: " + e.getMessage());
    }
  }

  /**
   * The mock-config test case an ARN {@code <stateMachineArn>#<testCase>} selects; null for a plain
   * ARN.
   */
  private MockConfig.TestCase testCase(String requested, Machine machine) {
    int hash = requested.indexOf('#');
    if (hash < 0) {
      return null;
    }
    String name = requested.substring(hash + 1);
    MockConfig.TestCase testCase = mocks == null ? null : mocks.testCase(machine.name(), name);
    if (testCase == null) {
      throw new AwsError(
          "StateMachineDoesNotExist",
          "State Machine Does Not Exist: '"
              + requested
              + "' (no test case '"
              + name
              + "' for "
              + machine.name()
              + " in the mock config)");
    }
    return testCase;
  }

  private static void started(Execution ex) {
    ObjectNode details =
        Paths.JSON.createObjectNode().put("input", ex.input).put("roleArn", ex.roleArn);
    details.putObject("inputDetails").put("truncated", false);
    ex.event("ExecutionStarted", "executionStartedEventDetails", details);
  }

  /**
   * StartSyncExecution: runs an EXPRESS state machine to its end and answers with the outcome. The
   * execution is not kept (DescribeExecution does not know it, as on AWS) and no status event is
   * sent.
   */
  private Object startSyncExecution(JsonNode r) {
    Execution ex;
    Machine machine;
    synchronized (this) {
      String requested = r.path("stateMachineArn").asText();
      machine =
          machine(
              requested.contains("#") ? requested.substring(0, requested.indexOf('#')) : requested);
      if (!machine.type().equals("EXPRESS")) {
        throw new AwsError(
            "StateMachineTypeNotSupported",
            "This operation is not supported by this type of state machine: '"
                + machine.arn()
                + "'");
      }
      String name = r.hasNonNull("name") ? r.get("name").asText() : UUID.randomUUID().toString();
      Names.requireValid(name, "execution");
      String input = r.hasNonNull("input") ? r.get("input").asText() : "{}";
      parseInput(input);
      ex =
          new Execution(
              machine.arn().replaceFirst(":stateMachine:", ":express:")
                  + ":"
                  + name
                  + ":"
                  + UUID.randomUUID(),
              name,
              machine.arn(),
              input,
              Instant.now());
      ex.express = true;
      ex.roleArn = machine.roleArn();
      ex.testCase = testCase(requested, machine);
    }
    started(ex);
    interpreter.run(
        ex, machine.parsed(), machine.parsed().path("StartAt").asText(), parseInput(ex.input));
    synchronized (ex) {
      ObjectNode out =
          Paths.JSON
              .createObjectNode()
              .put("executionArn", ex.arn)
              .put("stateMachineArn", ex.stateMachineArn)
              .put("name", ex.name)
              .put("startDate", epoch(ex.startDate))
              .put("stopDate", epoch(ex.stopDate == null ? Instant.now() : ex.stopDate))
              .put("status", ex.status)
              .put("input", ex.input);
      out.putObject("inputDetails").put("included", true);
      if (ex.output != null) {
        out.put("output", ex.output);
        out.putObject("outputDetails").put("included", true);
      }
      if (ex.error != null) {
        out.put("error", ex.error);
      }
      if (ex.cause != null) {
        out.put("cause", ex.cause);
      }
      out.putObject("billingDetails")
          .put("billedMemoryUsedInMB", 64)
          .put(
              "billedDurationInMilliseconds",
              Math.max(
                  100,
                  Duration.between(ex.startDate, ex.stopDate == null ? Instant.now() : ex.stopDate)
                      .toMillis()));
      return out;
    }
  }

  private Object testState(JsonNode r) {
    return new StateTester(interpreter, account).test(r);
  }

  private Object stopExecution(JsonNode r) {
    Execution ex = existing(r.path("executionArn").asText());
    synchronized (ex) {
      if (ex.status.equals("RUNNING")) {
        ex.stopRequested = true;
        ex.status = "ABORTED";
        ex.stopDate = Instant.now();
        ex.error = r.path("error").asText(null);
        ex.cause = r.path("cause").asText(null);
        ex.event(
            "ExecutionAborted",
            "executionAbortedEventDetails",
            Paths.JSON.createObjectNode().put("error", ex.error).put("cause", ex.cause));
        ex.closeCallbacks(); // their tokens now answer TaskTimedOut
        if (ex.runner != null) {
          ex.runner.interrupt();
        }
      }
    }
    publish(ex);
    return Paths.JSON
        .createObjectNode()
        .put("stopDate", epoch(ex.stopDate == null ? Instant.now() : ex.stopDate));
  }

  private Object redrive(JsonNode r) {
    Execution ex = existing(r.path("executionArn").asText());
    String token = r.path("clientToken").asText(null);
    if (token != null && token.equals(redriveTokens.get(ex.arn)) && ex.redriveDate != null) {
      return Paths.JSON.createObjectNode().put("redriveDate", epoch(ex.redriveDate));
    }
    JsonNode resumeInput;
    String resumeState;
    synchronized (ex) {
      if (!ex.redrivable()) {
        throw new AwsError(
            "ExecutionNotRedrivable",
            "Execution is " + ex.status + " and cannot be redriven: '" + ex.arn + "'");
      }
      ex.status = "RUNNING";
      ex.stopRequested = false;
      ex.redriveCount++;
      ex.redriveDate = Instant.now();
      ex.stopDate = null;
      ex.error = null;
      ex.cause = null;
      ex.dropCallbacks(); // a callback state re-runs with a new token
      resumeState = ex.resumeState;
      resumeInput = ex.resumeInput;
      ex.event(
          "ExecutionRedriven",
          "executionRedrivenEventDetails",
          Paths.JSON.createObjectNode().put("redriveCount", ex.redriveCount));
    }
    if (token != null) {
      redriveTokens.put(ex.arn, token);
    }
    publish(ex);
    launch(ex, machine(ex.stateMachineArn), resumeState, resumeInput);
    return Paths.JSON.createObjectNode().put("redriveDate", epoch(ex.redriveDate));
  }

  /**
   * SendTaskSuccess: the callback task of this token succeeds with this output (valid JSON, else
   * InvalidOutput). The outcome is persisted before the answer, so an accepted token is never lost.
   */
  private Object sendTaskSuccess(JsonNode r) {
    String token = taskToken(r);
    if (!r.hasNonNull("output")) {
      throw missing("output");
    }
    String output = r.get("output").asText();
    if (output.length() > 262144) {
      throw tooLong("output", 262144);
    }
    JsonNode parsed;
    try {
      parsed = STRICT_JSON.readTree(output);
    } catch (JsonProcessingException e) {
      throw new AwsError("InvalidOutput", "Invalid Output: '" + e.getOriginalMessage() + "'");
    }
    if (parsed == null || parsed.isMissingNode()) {
      throw new AwsError("InvalidOutput", "Invalid Output: 'the output is empty'");
    }
    return settle(token, Callback.Outcome.succeeded(parsed));
  }

  /** SendTaskFailure: the callback task of this token fails with this error and cause. */
  private Object sendTaskFailure(JsonNode r) {
    String token = taskToken(r);
    String error = r.hasNonNull("error") ? r.get("error").asText() : null;
    String cause = r.hasNonNull("cause") ? r.get("cause").asText() : null;
    if (error != null && error.length() > 256) {
      throw tooLong("error", 256);
    }
    if (cause != null && cause.length() > 32768) {
      throw tooLong("cause", 32768);
    }
    return settle(token, Callback.Outcome.failed(error, cause));
  }

  /** SendTaskHeartbeat: restarts the heartbeat clock of the callback task of this token. */
  private Object sendTaskHeartbeat(JsonNode r) {
    String token = taskToken(r);
    Execution ex = tokenOwner(token);
    synchronized (ex) {
      open(ex, token).beat(System.currentTimeMillis());
    }
    return Paths.JSON.createObjectNode();
  }

  private Object settle(String token, Callback.Outcome outcome) {
    Execution ex = tokenOwner(token);
    synchronized (ex) {
      if (!open(ex, token).close(outcome)) {
        throw taskTimedOut();
      }
    }
    persist(ex);
    return Paths.JSON.createObjectNode();
  }

  /** The request's task token, present and well-formed (else ValidationException, InvalidToken). */
  private static String taskToken(JsonNode r) {
    if (!r.hasNonNull("taskToken")) {
      throw missing("taskToken");
    }
    String token = r.get("taskToken").asText();
    if (token.length() > 2048) {
      throw tooLong("taskToken", 2048);
    }
    if (token.isEmpty() || !TaskTokens.wellFormed(token)) {
      throw new AwsError("InvalidToken", "Invalid Token: 'Invalid token'");
    }
    return token;
  }

  /** The execution that issued the token; TaskDoesNotExist when this emulator never issued it. */
  private Execution tokenOwner(String token) {
    Execution ex = taskTokens.owner(token);
    if (ex == null) {
      throw new AwsError("TaskDoesNotExist", "Task Does Not Exist: 'Provided task does not exist'");
    }
    return ex;
  }

  /**
   * Under the execution's lock: the callback task of this token while it still waits; TaskTimedOut
   * when it has ended (answered, timed out, its execution stopped or ended).
   */
  private static Callback open(Execution ex, String token) {
    Callback callback = ex.callback(token);
    if (!ex.status.equals("RUNNING")
        || ex.stopRequested
        || callback == null
        || callback.expire(System.currentTimeMillis()) != null) {
      throw taskTimedOut();
    }
    return callback;
  }

  private static AwsError taskTimedOut() {
    return new AwsError("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
  }

  private static AwsError missing(String field) {
    return new AwsError(
        "ValidationException",
        "1 validation error detected: Value null at '"
            + field
            + "' failed to satisfy constraint: Member must not be null");
  }

  private static AwsError tooLong(String field, int max) {
    return new AwsError(
        "ValidationException",
        "1 validation error detected: Value at '"
            + field
            + "' failed to satisfy constraint: Member must have length less than or equal to "
            + max);
  }

  private Object history(JsonNode r) {
    Execution ex = existing(r.path("executionArn").asText());
    List<ObjectNode> all = new ArrayList<>(ex.events());
    if (r.path("reverseOrder").asBoolean(false)) {
      Collections.reverse(all);
    }
    return page(all, r, "events");
  }

  private Object listExecutions(JsonNode r) {
    String machine = r.path("stateMachineArn").asText(null);
    if (machine != null) {
      machine(machine);
    }
    String status = r.path("statusFilter").asText(null);
    String redrive = r.path("redriveFilter").asText(null);
    List<ObjectNode> list = new ArrayList<>();
    for (Execution ex : executions.values()) {
      boolean matches =
          (machine == null || machine.equals(ex.stateMachineArn))
              && (status == null || status.equals(ex.status))
              && (redrive == null || (redrive.equals("REDRIVEN") == (ex.redriveCount > 0)));
      if (matches) {
        ObjectNode item =
            Paths.JSON
                .createObjectNode()
                .put("executionArn", ex.arn)
                .put("stateMachineArn", ex.stateMachineArn)
                .put("name", ex.name)
                .put("status", ex.status)
                .put("startDate", epoch(ex.startDate))
                .put("redriveCount", ex.redriveCount);
        if (ex.stopDate != null) {
          item.put("stopDate", epoch(ex.stopDate));
        }
        list.add(item);
      }
    }
    Collections.reverse(list); // newest first, as AWS lists them
    return page(list, r, "executions");
  }

  /** {@code maxResults}/{@code nextToken} paging over a list; the token is the next index. */
  private static Object page(List<ObjectNode> all, JsonNode r, String field) {
    int max = r.path("maxResults").asInt(0) <= 0 ? 1000 : r.path("maxResults").asInt();
    int from = 0;
    if (r.hasNonNull("nextToken")) {
      try {
        from = Integer.parseInt(r.get("nextToken").asText());
      } catch (NumberFormatException e) {
        throw new AwsError("InvalidToken", "Invalid Token: '" + r.get("nextToken").asText() + "'");
      }
    }
    ObjectNode out = Paths.JSON.createObjectNode();
    ArrayNode items = out.putArray(field);
    all.subList(Math.min(from, all.size()), Math.min(from + max, all.size())).forEach(items::add);
    if (from + max < all.size()) {
      out.put("nextToken", Integer.toString(from + max));
    }
    return out;
  }

  private Object describe(Execution ex) {
    synchronized (ex) {
      ObjectNode d = Paths.JSON.createObjectNode();
      d.put("executionArn", ex.arn)
          .put("stateMachineArn", ex.stateMachineArn)
          .put("name", ex.name)
          .put("status", ex.status)
          .put("startDate", epoch(ex.startDate))
          .put("input", ex.input)
          .put("redriveCount", ex.redriveCount)
          .put("redriveStatus", ex.redrivable() ? "REDRIVABLE" : "NOT_REDRIVABLE");
      if (!ex.redrivable()) {
        d.put(
            "redriveStatusReason",
            ex.status.equals("RUNNING")
                ? "Execution is RUNNING and cannot be redriven"
                : ex.status.equals("SUCCEEDED")
                    ? "Execution is SUCCEEDED and cannot be redriven"
                    : "Execution has no failed state to redrive from");
      }
      d.putObject("inputDetails").put("included", true);
      if (ex.stopDate != null) {
        d.put("stopDate", epoch(ex.stopDate));
      }
      if (ex.redriveDate != null) {
        d.put("redriveDate", epoch(ex.redriveDate));
      }
      if (ex.output != null) {
        d.put("output", ex.output);
      }
      if (ex.error != null) {
        d.put("error", ex.error);
      }
      if (ex.cause != null) {
        d.put("cause", ex.cause);
      }
      return d;
    }
  }

  private void launch(Execution ex, Machine machine, String state, JsonNode input) {
    runners.submit(
        () -> {
          synchronized (ex) {
            ex.runner = Thread.currentThread();
          }
          interpreter.run(ex, machine.parsed(), state, input);
        });
  }

  /**
   * The EventBridge event of the execution's current status: appended to its outbox and persisted
   * (with the execution) before the delivery is queued, so that a crash at any point after this
   * loses no event.
   */
  private void publish(Execution ex) {
    if (ex.express) {
      return; // EventBridge announces Standard executions only
    }
    synchronized (ex) {
      ObjectNode event = Paths.JSON.createObjectNode();
      event
          .put("version", "0")
          .put("id", UUID.randomUUID().toString())
          .put("detail-type", "Step Functions Execution Status Change")
          .put("source", "aws.states")
          .put("account", account)
          .put("time", Instant.now().toString())
          .put("region", REGION);
      event.putArray("resources").add(ex.arn);
      ObjectNode d = event.putObject("detail");
      d.put("executionArn", ex.arn)
          .put("stateMachineArn", ex.stateMachineArn)
          .put("name", ex.name)
          .put("status", ex.status)
          .put("startDate", ex.startDate.toEpochMilli())
          .put("input", ex.input)
          .put("redriveCount", ex.redriveCount)
          .put("redriveStatus", ex.redrivable() ? "REDRIVABLE" : "NOT_REDRIVABLE");
      d.putObject("inputDetails").put("included", true);
      putOrNull(d, "stopDate", ex.stopDate == null ? null : ex.stopDate.toEpochMilli());
      putOrNull(d, "redriveDate", ex.redriveDate == null ? null : ex.redriveDate.toEpochMilli());
      d.put("output", ex.output).put("error", ex.error).put("cause", ex.cause);
      ex.statusEvents.add(event.toString());
    }
    persist(ex);
    queueDelivery(ex, 0);
  }

  private void queueDelivery(Execution ex, long delayMillis) {
    queueDelivery(ex, delayMillis, false);
  }

  private void queueDelivery(Execution ex, long delayMillis, boolean retry) {
    try {
      events.schedule(() -> deliver(ex, retry), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      if (!closed) {
        throw e;
      }
      // closed: the event stays in the outbox for the next emulator on the same directory
    }
  }

  /**
   * On the events thread: delivers the execution's undelivered status events in order, marking each
   * delivered (and persisting that) once the listener has returned. A crash between the two
   * delivers it again after the restart: at least once, as EventBridge. When the listener throws,
   * this execution's remaining events wait and the delivery is tried again after a delay that
   * doubles up to {@link #MAX_REDELIVERY_DELAY}; other executions' events are not held up.
   */
  private void deliver(Execution ex, boolean retry) {
    synchronized (ex) {
      if (ex.retryPending && !retry) {
        return; // a retry is scheduled: it delivers this event too, after the one that failed
      }
      ex.retryPending = false;
    }
    String next;
    while (!closed && (next = ex.nextStatusEvent()) != null) {
      try {
        statusEvents.accept(next);
      } catch (RuntimeException e) {
        long delay;
        synchronized (ex) {
          delay =
              Math.min(
                  FIRST_REDELIVERY_DELAY.toMillis() << Math.min(ex.deliveryFailures, 20),
                  MAX_REDELIVERY_DELAY.toMillis());
          ex.deliveryFailures++;
          ex.retryPending = true;
        }
        System.err.println(
            "sfn-local: status event of "
                + ex.arn
                + " not delivered ("
                + e
                + "); again in "
                + delay
                + " ms");
        queueDelivery(ex, delay, true);
        return;
      }
      synchronized (ex) {
        if (closed) {
          return; // the listener returned after the "crash": the next emulator delivers it again
        }
        ex.statusEventsDelivered++;
        ex.deliveryFailures = 0;
      }
      persist(ex);
    }
  }

  private static void putOrNull(ObjectNode node, String field, Long value) {
    if (value == null) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }

  private Machine machine(String arn) {
    Names.requireArn(arn, "stateMachine");
    Machine m = machines.get(arn);
    if (m == null) {
      throw new AwsError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
    }
    return m;
  }

  private Execution existing(String arn) {
    Names.requireArn(arn, "execution");
    Execution ex = executions.get(arn);
    if (ex == null) {
      throw new AwsError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
    }
    return ex;
  }

  private static double epoch(Instant instant) {
    return instant.toEpochMilli() / 1000.0;
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * How to start an emulator; every setting has a default (any free port, no functions, real time,
   * in memory).
   */
  public static final class Builder {
    private int port;
    private LambdaInvoker lambdas = new InProcessLambdas();
    private double timeScale = 1;
    private Consumer<String> statusEvents = event -> {};
    private Path stateDir;
    private String account = ACCOUNT;
    private RequestHook hook = RequestHook.NONE;
    private MockConfig mocks;

    private Builder() {}

    /**
     * Mocked responses in Step Functions Local's format, used by executions started on {@code
     * <arn>#<testCase>}.
     */
    public Builder mocks(MockConfig mocks) {
      this.mocks = mocks;
      return this;
    }

    /** 0 for any free port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** How Task states reach functions. */
    public Builder lambdas(LambdaInvoker lambdas) {
      this.lambdas = lambdas;
      return this;
    }

    /** Factor for Retry intervals and Waits (0.01 in tests). */
    public Builder timeScale(double timeScale) {
      this.timeScale = timeScale;
      return this;
    }

    /** Receives each EventBridge event JSON, in order, off the execution threads. */
    public Builder statusEvents(Consumer<String> statusEvents) {
      this.statusEvents = statusEvents;
      return this;
    }

    /** Where executions are persisted (see {@link #resume}); null keeps them in memory. */
    public Builder stateDir(Path stateDir) {
      this.stateDir = stateDir;
      return this;
    }

    /**
     * The 12-digit account in the ARNs (default {@link #ACCOUNT}), e.g. to match ARNs a client has
     * configured.
     */
    public Builder account(String account) {
      if (account == null || !account.matches("\\d{12}")) {
        throw new IllegalArgumentException("an AWS account id has 12 digits: " + account);
      }
      this.account = account;
      return this;
    }

    /** Sees every request before the emulator handles it. */
    public Builder hook(RequestHook hook) {
      this.hook = hook;
      return this;
    }

    public StepFunctionsEmulator start() {
      return new StepFunctionsEmulator(this);
    }
  }

  static final class AwsError extends RuntimeException {
    private final String name;

    AwsError(String name, String message) {
      super(message, null, false, false);
      this.name = name;
    }
  }
}
