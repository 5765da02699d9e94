package io.stepwise.sfnlocal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;

/**
 * The emulator alone, as {@code stepwise-local.jar sfn} starts it: Task states reach a Lambda
 * Invoke endpoint (a loopback server speaking that protocol: {@code POST
 * /2015-03-31/functions/{name}/invocations}, {@code X-Amz-Function-Error} on a function error, 404
 * {@code ResourceNotFoundException} for an unknown function) or take mocked responses from a Step
 * Functions Local mock-config file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneResourcesIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FN = "arn:aws:lambda:us-east-1:000000000000:function:";

  private final List<String> invoked = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private HttpServer lambda;
  private StepFunctionsEmulator emulator;
  private SfnClient sfn;

  @BeforeAll
  void start(@TempDir Path dir) throws IOException {
    lambda = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    lambda.createContext("/2015-03-31/functions/", this::invoke);
    lambda.start();
    Path mocks = dir.resolve("MockConfigFile.json");
    Files.writeString(
        mocks,
        """
        {"StateMachines":{"orders":{"TestCases":{
            "HappyPath":{"Charge":"ChargeOk"},
            "RetryPath":{"Charge":"ChargeFlaky"}}}},
         "MockedResponses":{
            "ChargeOk":{"0":{"Return":{"StatusCode":200,"Payload":{"charged":true}}}},
            "ChargeFlaky":{"0-1":{"Throw":{"Error":"Lambda.TooManyRequestsException","Cause":"slow down"}},
                           "2":{"Return":{"StatusCode":200,"Payload":{"charged":"late"}}}}}}
        """);
    emulator =
        EmulatorMain.start(
            new String[] {
              "--port",
              "0",
              "--time-scale",
              "0.01",
              "--lambda-endpoint",
              "http://127.0.0.1:" + lambda.getAddress().getPort(),
              "--mock-config",
              mocks.toString()
            });
    sfn =
        SfnClient.builder()
            .endpointOverride(emulator.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  @AfterAll
  void stop() {
    sfn.close();
    emulator.close();
    lambda.stop(0);
  }

  /**
   * The Lambda Invoke API: {@code greet} answers, {@code flaky} fails while failures are left,
   * others are 404.
   */
  private void invoke(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String name =
          path.substring(
              "/2015-03-31/functions/".length(), path.length() - "/invocations".length());
      JsonNode payload = JSON.readTree(exchange.getRequestBody().readAllBytes());
      invoked.add(exchange.getRequestMethod() + " " + path);
      byte[] body;
      switch (name) {
        case "greet" -> {
          body =
              JSON.writeValueAsBytes(
                  JSON.createObjectNode().put("greeting", "hello " + payload.path("who").asText()));
          exchange.sendResponseHeaders(200, body.length);
        }
        case "flaky" -> {
          if (failuresLeft.getAndDecrement() > 0) {
            body =
                "{\"errorMessage\":\"not now\",\"errorType\":\"com.example.NotNowException\",\"stackTrace\":[]}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
          } else {
            body = JSON.writeValueAsBytes(payload);
          }
          exchange.sendResponseHeaders(200, body.length);
        }
        default -> {
          body =
              ("{\"Type\":\"User\",\"message\":\"Function not found: " + name + "\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("x-amzn-ErrorType", "ResourceNotFoundException");
          exchange.sendResponseHeaders(404, body.length);
        }
      }
      exchange.getResponseBody().write(body);
    }
  }

  private String machine(String name, String definition) {
    return sfn.createStateMachine(
            b -> b.name(name).definition(definition).roleArn("arn:aws:iam::000000000000:role/r"))
        .stateMachineArn();
  }

  @Test
  void lambdaInvoke_reachesTheEndpoint_withThePayload() throws Exception {
    String arn =
        machine(
            "greeter",
            """
        {"StartAt":"Greet","States":{"Greet":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
          "Parameters":{"FunctionName":"%sgreet:live","Payload":{"who.$":"$.name"}},"OutputPath":"$.Payload","End":true}}}"""
                .formatted(FN));
    DescribeExecutionResponse done =
        await(
            sfn.startExecution(b -> b.stateMachineArn(arn).input("{\"name\":\"Ana\"}"))
                .executionArn());

    assertThat(done.statusAsString()).isEqualTo("SUCCEEDED");
    assertThat(JSON.readTree(done.output()))
        .isEqualTo(JSON.readTree("{\"greeting\":\"hello Ana\"}"));
    assertThat(invoked).contains("POST /2015-03-31/functions/greet/invocations");
  }

  @Test
  void anUnknownFunction_isLambdaResourceNotFoundException() throws Exception {
    String arn =
        machine(
            "missing-fn",
            "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\""
                + FN
                + "nobody\",\"End\":true}}}");
    DescribeExecutionResponse done =
        await(sfn.startExecution(b -> b.stateMachineArn(arn)).executionArn());

    assertThat(done.statusAsString()).isEqualTo("FAILED");
    assertThat(done.error()).isEqualTo("Lambda.ResourceNotFoundException");
  }

  @Test
  void aFunctionError_failsTheState_byItsErrorType_andARedriveRerunsOnlyThatState()
      throws Exception {
    String arn =
        machine(
            "redrive-me",
            """
        {"StartAt":"Greet","States":{
          "Greet":{"Type":"Task","Resource":"%1$sgreet","Parameters":{"who":"first"},"ResultPath":"$.greet","Next":"Flaky"},
          "Flaky":{"Type":"Task","Resource":"%1$sflaky","ResultPath":"$.flaky","End":true}}}"""
                .formatted(FN));
    failuresLeft.set(1);
    invoked.clear();
    String ex = sfn.startExecution(b -> b.stateMachineArn(arn).input("{}")).executionArn();
    DescribeExecutionResponse failed = await(ex);
    assertThat(failed.statusAsString()).isEqualTo("FAILED");
    assertThat(failed.error()).isEqualTo("com.example.NotNowException");
    assertThat(JSON.readTree(failed.cause()).path("errorMessage").asText()).isEqualTo("not now");

    sfn.redriveExecution(b -> b.executionArn(ex));
    Thread.sleep(50);
    DescribeExecutionResponse done = await(ex);
    assertThat(done.statusAsString()).isEqualTo("SUCCEEDED");
    assertThat(invoked)
        .containsExactly(
            "POST /2015-03-31/functions/greet/invocations",
            "POST /2015-03-31/functions/flaky/invocations",
            "POST /2015-03-31/functions/flaky/invocations");
  }

  @Test
  void aMockConfigTestCase_isSelectedByArnHashTestCase_andCountsRetriesAsCalls() throws Exception {
    String arn =
        machine(
            "orders",
            """
        {"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
          "Parameters":{"FunctionName":"charge-not-deployed","Payload.$":"$"},"OutputPath":"$.Payload","End":true,
          "Retry":[{"ErrorEquals":["Lambda.TooManyRequestsException"],"IntervalSeconds":1,"MaxAttempts":3}]}}}""");
    DescribeExecutionResponse happy =
        await(sfn.startExecution(b -> b.stateMachineArn(arn + "#HappyPath")).executionArn());
    DescribeExecutionResponse retried =
        await(sfn.startExecution(b -> b.stateMachineArn(arn + "#RetryPath")).executionArn());
    DescribeExecutionResponse real =
        await(sfn.startExecution(b -> b.stateMachineArn(arn)).executionArn());

    assertThat(happy.output()).isEqualTo("{\"charged\":true}");
    assertThat(retried.output()).isEqualTo("{\"charged\":\"late\"}");
    assertThat(real.error())
        .as("without a test case the endpoint is called")
        .isEqualTo("Lambda.ResourceNotFoundException");
    assertThat(happy.executionArn()).contains(":execution:orders:");
  }

  @Test
  void anUnknownTestCase_isStateMachineDoesNotExist() {
    String arn =
        machine(
            "orders2", "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}");
    Assertions.assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(arn + "#Nope")))
        .isInstanceOf(StateMachineDoesNotExistException.class);
  }

  private DescribeExecutionResponse await(String arn) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (true) {
      DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(arn));
      if (!d.statusAsString().equals("RUNNING") || Instant.now().isAfter(deadline)) {
        return d;
      }
      Thread.sleep(20);
    }
  }
}
