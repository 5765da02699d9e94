package io.stepwise.sfnlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartSyncExecutionResponse;
import software.amazon.awssdk.services.sfn.model.TestStateResponse;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionResponse;

/**
 * The conformance corpus: table-driven scenarios in {@code src/test/resources/conformance/*.json},
 * each written from the AWS documentation page in its {@code source}, run through the unchanged
 * SfnClient. A scenario is one of: {@code execution} (definition + input → status, output, error,
 * cause, the sequence of entered states, history events), {@code sync} (StartSyncExecution on an
 * EXPRESS machine), {@code create} (CreateStateMachine → the AWS error code and message parts),
 * {@code validate} (ValidateStateMachineDefinition → result, codes, locations) and {@code
 * testState} (TestState → status, nextState, output, inspectionData). Task states reach test
 * functions in this JVM ({@code echo}, {@code sleep}, {@code boom}, and for callback tasks {@code
 * callback} and {@code selfAnswer}) or mocked responses in Step Functions Local's mock-config
 * format, built from each scenario's {@code mocks}. An execution scenario's {@code steps} act on it
 * while it runs (SendTaskSuccess/Failure/Heartbeat with the tokens the {@code callback} function
 * received, StopExecution, RedriveExecution, waits), each expecting success or an AWS error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
class ConformanceIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FUNCTION = "arn:aws:lambda:us-east-1:000000000000:function:";

  private StepFunctionsEmulator emulator;
  private SfnClient sfn;

  /**
   * The task tokens the {@code callback} function received, in order (callback scenarios run one by
   * one).
   */
  private final BlockingQueue<String> tokens = new LinkedBlockingQueue<>();

  /**
   * Thrown by the {@code boom} function: its error name is this class's name, as Lambda reports a
   * Java exception.
   */
  static final class BoomException extends RuntimeException {
    BoomException(String message) {
      super(message);
    }
  }

  record Scenario(String area, int index, String name, JsonNode spec) {
    @Override
    public String toString() {
      return area + ": " + name;
    }
  }

  /** The area whose scenarios share the {@code callback} function's tokens: run one by one. */
  static final String CALLBACKS = "callbacks";

  static Stream<Arguments> scenarios() throws IOException, URISyntaxException {
    return load().stream().filter(s -> !s.area().equals(CALLBACKS)).map(Arguments::of);
  }

  static Stream<Arguments> callbackScenarios() throws IOException, URISyntaxException {
    return load().stream().filter(s -> s.area().equals(CALLBACKS)).map(Arguments::of);
  }

  static List<Scenario> load() throws IOException, URISyntaxException {
    Path dir = Path.of(ConformanceIT.class.getResource("/conformance").toURI());
    List<Scenario> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode doc = JSON.readTree(file.toFile());
        int i = 0;
        for (JsonNode s : doc.path("scenarios")) {
          all.add(new Scenario(doc.path("area").asText(), i++, s.path("name").asText(), s));
        }
      }
    }
    return all;
  }

  @BeforeAll
  void start() throws Exception {
    InProcessLambdas lambdas = new InProcessLambdas();
    lambdas.register("echo", handler(in -> in));
    lambdas.register(
        "sleep",
        handler(
            in -> {
              try {
                Thread.sleep(in.path("ms").asLong());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return in;
            }));
    lambdas.register(
        "boom",
        handler(
            in -> {
              throw new BoomException(in.path("message").asText("boom"));
            }));
    lambdas.register(
        "callback",
        handler(
            in -> {
              tokens.add(in.path("token").asText());
              return in;
            }));
    // the product ASL's review function (${ReviewFunctionArn}): it receives the token as callback
    lambdas.register(
        "Review",
        handler(
            in -> {
              tokens.add(in.path("token").asText());
              return in;
            }));
    // answers its own token before it returns, as a function that finishes the work at once may
    lambdas.register(
        "selfAnswer",
        handler(
            in -> {
              sfn.sendTaskSuccess(
                  b -> b.taskToken(in.path("token").asText()).output("{\"self\":true}"));
              return in;
            }));
    emulator =
        StepFunctionsEmulator.builder()
            .lambdas(lambdas)
            .timeScale(0.01)
            .mocks(MockConfig.parse(mockConfig(load()).toString()))
            .start();
    sfn =
        SfnClient.builder()
            .endpointOverride(emulator.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
            .httpClient(UrlConnectionHttpClient.create())
            // StartSyncExecution and TestState go to a "sync-" host on AWS; a local endpoint has
            // only one host
            .overrideConfiguration(
                c ->
                    c.putAdvancedOption(
                        SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
            .build();
  }

  @AfterAll
  void stop() {
    sfn.close();
    emulator.close();
  }

  private static RequestStreamHandler handler(Function<JsonNode, JsonNode> body) {
    return (in, out, ctx) ->
        out.write(JSON.writeValueAsBytes(body.apply(JSON.readTree(in.readAllBytes()))));
  }

  /**
   * One mock-config file for the corpus: a test case "case" per scenario with mocks, on that
   * scenario's machine.
   */
  private static ObjectNode mockConfig(List<Scenario> scenarios) {
    ObjectNode config = JSON.createObjectNode();
    ObjectNode machines = config.putObject("StateMachines");
    ObjectNode responses = config.putObject("MockedResponses");
    for (Scenario s : scenarios) {
      if (s.spec().has("mocks")) {
        ObjectNode testCase =
            machines.putObject(machineName(s)).putObject("TestCases").putObject("case");
        s.spec()
            .get("mocks")
            .fields()
            .forEachRemaining(
                m -> {
                  String response = machineName(s) + "-" + m.getKey();
                  testCase.put(m.getKey(), response);
                  responses.set(response, m.getValue());
                });
      }
    }
    return config;
  }

  private static String machineName(Scenario s) {
    return "c-" + s.area() + "-" + s.index();
  }

  /**
   * Scenarios of different areas at once (each has its own state machine and execution; most of
   * their time is waiting), the callback ones one by one beside them.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  @Execution(ExecutionMode.CONCURRENT)
  void scenario(Scenario s) throws Exception {
    run(s);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("callbackScenarios")
  @Execution(ExecutionMode.SAME_THREAD)
  void callbackScenario(Scenario s) throws Exception {
    run(s);
  }

  private void run(Scenario s) throws Exception {
    JsonNode spec = s.spec();
    assertThat(spec.path("source").asText())
        .as("every scenario cites the AWS page it was written from")
        .startsWith("https://");
    switch (spec.path("kind").asText("execution")) {
      case "execution" -> execution(s);
      case "sync" -> sync(s);
      case "create" -> create(s);
      case "validate" -> validate(s);
      case "testState" -> testState(s);
      default -> throw new AssertionError("unknown kind in " + s);
    }
  }

  private static String definition(JsonNode spec) {
    if (spec.has("definitionFile")) {
      String text;
      try {
        text =
            Files.readString(
                Path.of(System.getProperty("user.dir"))
                    .getParent()
                    .resolve(spec.get("definitionFile").asText()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // the placeholders the CDK stack and the local runtime substitute: here, function ARNs by
      // name
      return text.replaceAll("\\$\\{(\\w+)FunctionArn}", FUNCTION + "$1");
    }
    JsonNode d = spec.get("definition");
    return d.isTextual() ? d.asText() : d.toString();
  }

  private void execution(Scenario s) throws Exception {
    JsonNode spec = s.spec();
    String arn =
        sfn.createStateMachine(
                b ->
                    b.name(machineName(s))
                        .definition(definition(spec))
                        .roleArn("arn:aws:iam::000000000000:role/conformance"))
            .stateMachineArn();
    String start = spec.has("mocks") ? arn + "#case" : arn;
    if (s.area().equals(CALLBACKS)) {
      tokens.clear(); // only these run one by one: another area's scenario runs at the same time
    }
    String executionArn =
        sfn.startExecution(b -> b.stateMachineArn(start).input(input(spec))).executionArn();
    if (spec.has("steps")) {
      steps(executionArn, spec.get("steps"));
    }
    DescribeExecutionResponse done =
        await(executionArn, Duration.ofSeconds(spec.path("timeoutSeconds").asInt(20)));
    JsonNode expect = spec.get("expect");
    assertOutcome(expect, done.statusAsString(), done.output(), done.error(), done.cause());
    List<HistoryEvent> events =
        sfn.getExecutionHistory(b -> b.executionArn(executionArn).maxResults(1000)).events();
    List<String> entered =
        events.stream()
            .filter(e -> e.typeAsString().endsWith("StateEntered"))
            .map(e -> e.stateEnteredEventDetails().name())
            .toList();
    if (expect.has("entered")) {
      assertThat(entered)
          .as("entered states")
          .containsExactlyElementsOf(strings(expect.get("entered")));
    }
    if (expect.has("enteredIncludes")) {
      assertThat(entered).as("entered states").containsAll(strings(expect.get("enteredIncludes")));
    }
    if (expect.has("enteredExcludes")) {
      assertThat(entered)
          .as("entered states")
          .doesNotContainAnyElementsOf(strings(expect.get("enteredExcludes")));
    }
    if (expect.has("eventOrder")) {
      List<String> types = events.stream().map(HistoryEvent::typeAsString).toList();
      int at = 0;
      for (String wanted : strings(expect.get("eventOrder"))) {
        while (at < types.size() && !types.get(at).equals(wanted)) {
          at++;
        }
        assertThat(at)
            .as("events " + expect.get("eventOrder") + " in this order in " + types)
            .isLessThan(types.size());
        at++;
      }
    }
    if (expect.has("eventsAbsent")) {
      assertThat(events.stream().map(HistoryEvent::typeAsString).toList())
          .as("event types")
          .doesNotContainAnyElementsOf(strings(expect.get("eventsAbsent")));
    }
    if (expect.has("history")) {
      JsonNode history = JSON.readTree(historyJson(executionArn));
      for (JsonNode wanted : expect.get("history")) {
        assertThat(containsSubset(history, JSON.createArrayNode().add(wanted)))
            .as("history has an event like " + wanted + " in " + history)
            .isTrue();
      }
    }
  }

  /**
   * Acts on a running execution, step by step. A token is {@code next} (the next one the {@code
   * callback} function receives, never one seen before; the default for the first), {@code last}
   * (the one taken last; the default after the first), {@code malformed} (not a token), {@code
   * tampered} (the last one with a byte changed) or {@code unknown} (well-formed, never issued).
   */
  private void steps(String executionArn, JsonNode steps) throws Exception {
    Set<String> seen = new HashSet<>();
    String last = null;
    for (JsonNode step : steps) {
      String action = step.path("action").asText();
      switch (action) {
        case "AwaitToken" -> last = nextToken(seen);
        case "Sleep" -> Thread.sleep(step.path("millis").asLong());
        case "AwaitStatus" -> {
          DescribeExecutionResponse d = await(executionArn, Duration.ofSeconds(20));
          assertThat(d.statusAsString()).as("status").isEqualTo(step.path("status").asText());
        }
        case "StopExecution" ->
            sfn.stopExecution(
                b ->
                    b.executionArn(executionArn)
                        .error(step.path("error").asText(null))
                        .cause(step.path("cause").asText(null)));
        case "RedriveExecution" -> sfn.redriveExecution(b -> b.executionArn(executionArn));
        case "SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat" -> {
          String which = step.path("token").asText(last == null ? "next" : "last");
          String token =
              switch (which) {
                case "next" -> last = nextToken(seen);
                case "last" -> last;
                case "malformed" -> "not-a-task-token";
                case "tampered" -> tampered(last);
                case "unknown" -> TaskTokens.mint();
                default -> throw new AssertionError("unknown token " + which);
              };
          Runnable send =
              switch (action) {
                case "SendTaskSuccess" ->
                    () ->
                        sfn.sendTaskSuccess(
                            b ->
                                b.taskToken(token)
                                    .output(
                                        step.has("outputRaw")
                                            ? step.get("outputRaw").asText()
                                            : step.path("output").toString()));
                case "SendTaskFailure" ->
                    () ->
                        sfn.sendTaskFailure(
                            b ->
                                b.taskToken(token)
                                    .error(step.path("error").asText(null))
                                    .cause(step.path("cause").asText(null)));
                default -> () -> sfn.sendTaskHeartbeat(b -> b.taskToken(token));
              };
          if (step.has("expectError")) {
            assertThatThrownBy(send::run)
                .as(action + " with the " + which + " token")
                .isInstanceOfSatisfying(
                    SfnException.class,
                    e -> {
                      assertThat(e.awsErrorDetails().errorCode())
                          .isEqualTo(step.get("expectError").asText());
                      assertThat(e.statusCode()).isEqualTo(400);
                    });
          } else {
            send.run();
          }
        }
        default -> throw new AssertionError("unknown step " + step);
      }
    }
  }

  private String nextToken(Set<String> seen) throws InterruptedException {
    String token = tokens.poll(20, TimeUnit.SECONDS);
    assertThat(token).as("a task token reached the callback function").isNotNull();
    assertThat(seen.add(token)).as("every token is new").isTrue();
    return token;
  }

  private static String tampered(String token) {
    byte[] bytes = Base64.getDecoder().decode(token);
    bytes[bytes.length / 2] ^= 1;
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** The raw history through the protocol (field names as AWS sends them), for subset matching. */
  private String historyJson(String executionArn) throws Exception {
    var request =
        HttpRequest.newBuilder(emulator.endpoint())
            .header("X-Amz-Target", "AWSStepFunctions.GetExecutionHistory")
            .header("Content-Type", "application/x-amz-json-1.0")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    JSON.createObjectNode().put("executionArn", executionArn).toString()))
            .build();
    String body =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    return JSON.readTree(body).path("events").toString();
  }

  private void sync(Scenario s) throws Exception {
    JsonNode spec = s.spec();
    String arn =
        sfn.createStateMachine(
                b ->
                    b.name(machineName(s))
                        .definition(definition(spec))
                        .type("EXPRESS")
                        .roleArn("arn:aws:iam::000000000000:role/conformance"))
            .stateMachineArn();
    StartSyncExecutionResponse done =
        sfn.startSyncExecution(b -> b.stateMachineArn(arn).input(input(spec)));
    assertOutcome(
        spec.get("expect"), done.statusAsString(), done.output(), done.error(), done.cause());
  }

  private void create(Scenario s) throws Exception {
    JsonNode spec = s.spec();
    JsonNode expect = spec.get("expect");
    String name = spec.path("machineName").asText(machineName(s));
    String definition = definition(spec);
    String type = spec.path("type").asText("STANDARD");
    if (expect.has("code")) {
      assertThatThrownBy(
              () ->
                  sfn.createStateMachine(
                      b ->
                          b.name(name)
                              .definition(definition)
                              .type(type)
                              .roleArn("arn:aws:iam::000000000000:role/r")))
          .isInstanceOfSatisfying(
              SfnException.class,
              e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo(expect.get("code").asText());
                assertThat(e.statusCode()).isEqualTo(400);
                strings(expect.path("messageContains"))
                    .forEach(part -> assertThat(e.awsErrorDetails().errorMessage()).contains(part));
              });
    } else {
      assertThat(
              sfn.createStateMachine(
                      b ->
                          b.name(name)
                              .definition(definition)
                              .type(type)
                              .roleArn("arn:aws:iam::000000000000:role/r"))
                  .stateMachineArn())
          .endsWith(":stateMachine:" + name);
    }
  }

  private void validate(Scenario s) throws Exception {
    JsonNode spec = s.spec();
    JsonNode expect = spec.get("expect");
    ValidateStateMachineDefinitionResponse r =
        sfn.validateStateMachineDefinition(b -> b.definition(definition(spec)));
    assertThat(r.resultAsString()).isEqualTo(expect.get("result").asText());
    for (JsonNode d : expect.path("diagnostics")) {
      assertThat(r.diagnostics())
          .as("diagnostics")
          .anySatisfy(
              found -> {
                assertThat(found.code()).isEqualTo(d.get("code").asText());
                if (d.has("location")) {
                  assertThat(found.location()).isEqualTo(d.get("location").asText());
                }
                assertThat(found.severityAsString()).isEqualTo("ERROR");
              });
    }
    if (expect.path("result").asText().equals("OK")) {
      assertThat(r.diagnostics()).isEmpty();
    }
  }

  private void testState(Scenario s) throws Exception {
    JsonNode spec = s.spec();
    JsonNode expect = spec.get("expect");
    if (expect.has("code")) {
      assertThatThrownBy(
              () ->
                  sfn.testState(
                      b ->
                          b.definition(definition(spec))
                              .input(input(spec))
                              .roleArn("arn:aws:iam::000000000000:role/conformance")))
          .isInstanceOfSatisfying(
              SfnException.class,
              e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo(expect.get("code").asText());
                assertThat(e.statusCode()).isEqualTo(400);
                strings(expect.path("messageContains"))
                    .forEach(part -> assertThat(e.awsErrorDetails().errorMessage()).contains(part));
              });
      return;
    }
    TestStateResponse r =
        sfn.testState(
            b ->
                b.definition(definition(spec))
                    .input(input(spec))
                    .roleArn("arn:aws:iam::000000000000:role/conformance")
                    .inspectionLevel(spec.path("inspectionLevel").asText("DEBUG")));
    assertThat(r.statusAsString())
        .as("status (error " + r.error() + ": " + r.cause() + ")")
        .isEqualTo(expect.get("status").asText());
    if (expect.has("nextState")) {
      assertThat(r.nextState()).isEqualTo(expect.get("nextState").asText());
    }
    if (expect.has("output")) {
      assertThat(JSON.readTree(r.output())).isEqualTo(expect.get("output"));
    }
    if (expect.has("error")) {
      assertThat(r.error()).isEqualTo(expect.get("error").asText());
    }
    Iterator<Map.Entry<String, JsonNode>> inspection = expect.path("inspectionData").fields();
    while (inspection.hasNext()) {
      Map.Entry<String, JsonNode> field = inspection.next();
      String actual =
          r.inspectionData().getValueForField(field.getKey(), String.class).orElse(null);
      assertThat(actual)
          .as("inspectionData." + field.getKey() + " in " + r.inspectionData())
          .isNotNull();
      assertThat(JSON.readTree(actual))
          .as("inspectionData." + field.getKey())
          .isEqualTo(field.getValue());
    }
    if (expect.has("noInspectionData")) {
      assertThat(r.inspectionData()).isNull();
    }
  }

  private static String input(JsonNode spec) {
    JsonNode input = spec.get("input");
    return input == null ? "{}" : input.toString();
  }

  private void assertOutcome(
      JsonNode expect, String status, String output, String error, String cause)
      throws IOException {
    assertThat(status)
        .as("status (error " + error + ": " + cause + ")")
        .isEqualTo(expect.get("status").asText());
    if (expect.has("output")) {
      assertThat(JSON.readTree(output)).as("output").isEqualTo(expect.get("output"));
    }
    if (expect.has("outputIncludes")) {
      assertThat(containsSubset(JSON.readTree(output), expect.get("outputIncludes")))
          .as("output " + output + " includes " + expect.get("outputIncludes"))
          .isTrue();
    }
    if (expect.has("error")) {
      assertThat(error).as("error (cause " + cause + ")").isEqualTo(expect.get("error").asText());
    }
    strings(expect.path("causeContains"))
        .forEach(part -> assertThat(cause).as("cause").contains(part));
  }

  /**
   * Whether {@code actual} has everything {@code wanted} has (objects by field, arrays: some
   * element each).
   */
  static boolean containsSubset(JsonNode actual, JsonNode wanted) {
    if (wanted.isObject()) {
      if (!actual.isObject()) {
        return false;
      }
      Iterator<Map.Entry<String, JsonNode>> fields = wanted.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        if (!actual.has(f.getKey()) || !containsSubset(actual.get(f.getKey()), f.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (wanted.isArray()) {
      if (!actual.isArray()) {
        return false;
      }
      for (JsonNode w : wanted) {
        boolean found = false;
        for (JsonNode a : actual) {
          found |= containsSubset(a, w);
        }
        if (!found) {
          return false;
        }
      }
      return true;
    }
    return actual.equals(wanted);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array.isTextual()) {
      out.add(array.asText());
    }
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private DescribeExecutionResponse await(String arn, Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(arn));
      if (!d.statusAsString().equals("RUNNING") || Instant.now().isAfter(deadline)) {
        return d;
      }
      Thread.sleep(20);
    }
  }

  /** The corpus size by area, printed so the report can quote it. */
  @Test
  void corpus_coversEveryArea() throws Exception {
    Map<String, Integer> byArea = new TreeMap<>();
    load().forEach(s -> byArea.merge(s.area(), 1, Integer::sum));
    System.out.println(
        "conformance corpus: "
            + byArea.values().stream().mapToInt(Integer::intValue).sum()
            + " scenarios "
            + byArea);
    assertThat(byArea.keySet())
        .contains(
            "errors",
            "validation",
            "choice",
            "intrinsics",
            "timeouts",
            "callbacks",
            "parallel-map",
            "jsonata",
            "variables",
            "testState",
            "operations",
            "product",
            "mocks");
  }
}
