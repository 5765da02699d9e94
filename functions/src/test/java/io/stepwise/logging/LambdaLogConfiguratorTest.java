package io.stepwise.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

class LambdaLogConfiguratorTest {

  @Test
  void onLambda_metricLinesAreBareJson_otherLinesAreJsonObjectsWithTheInvocationsFields()
      throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(MDC.getMDCAdapter()); // the one org.slf4j.MDC writes to
    String printed =
        printed(
            () -> {
              ExecutionStatus status =
                  new LambdaLogConfigurator(Map.of("AWS_LAMBDA_FUNCTION_NAME", "stepwise-api")::get)
                      .configure(context);
              assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
              context.getLogger(LambdaLogConfigurator.METRICS_LOGGER).info("{\"_aws\":{}}");
              try (LogContext fields =
                  LogContext.step("t-1", "r-1", "paper-digest", "analyze", null)) {
                context
                    .getLogger("io.stepwise.tasks.TaskService")
                    .info("task {} said \"hi\"\n", "t-1");
              }
              context
                  .getLogger("stepwise.model-calls")
                  .atInfo()
                  .addKeyValue("promptTokens", 120)
                  .addKeyValue("outcome", "ok")
                  .log("model call local-gpt: ok");
              context.getLogger("io.stepwise.tasks.TaskService").debug("not at info");
              context.getLogger("io.modelcontextprotocol.client").info("session chatter");
              context
                  .getLogger("io.stepwise.tasks.TaskService")
                  .warn("failed", new IllegalStateException("boom"));
            });

    List<String> lines = printed.lines().toList();
    assertThat(lines)
        .as("one line each; the metric line printed once (not again by the root logger)")
        .hasSize(4);
    assertThat(lines.get(0)).isEqualTo("{\"_aws\":{}}");
    ObjectMapper json = new ObjectMapper();
    JsonNode line = json.readTree(lines.get(1));
    assertThat(line.path("timestamp").isNumber()).isTrue();
    assertThat(line.path("level").asText()).isEqualTo("INFO");
    assertThat(line.path("logger").asText()).isEqualTo("io.stepwise.tasks.TaskService");
    assertThat(line.path("message").asText()).isEqualTo("task t-1 said \"hi\"\n");
    assertThat(line.path("taskId").asText()).isEqualTo("t-1");
    assertThat(line.path("runId").asText()).isEqualTo("r-1");
    assertThat(line.path("pipeline").asText()).isEqualTo("paper-digest");
    assertThat(line.path("step").asText()).isEqualTo("analyze");
    assertThat(line.has("executionArn")).as("unknown fields are left out").isFalse();
    assertThat(line.has("throwable")).as("no failure, no field").isFalse();
    JsonNode call = json.readTree(lines.get(2));
    assertThat(call.path("promptTokens").isInt()).as("a number stays a number").isTrue();
    assertThat(call.path("promptTokens").asInt()).isEqualTo(120);
    assertThat(call.path("outcome").asText()).isEqualTo("ok");
    assertThat(call.path("message").asText()).isEqualTo("model call local-gpt: ok");
    JsonNode failure = json.readTree(lines.get(3));
    assertThat(failure.has("taskId")).as("the invocation's fields ended with it").isFalse();
    assertThat(failure.path("throwable").path("className").asText())
        .isEqualTo(IllegalStateException.class.getName());
  }

  @Test
  void offLambda_stepsAsideForLogbackXml() {
    LoggerContext context = new LoggerContext();
    ExecutionStatus status =
        new LambdaLogConfigurator(Map.<String, String>of()::get).configure(context);

    assertThat(status).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext())
        .isFalse();
  }

  /**
   * What the console appenders print: they bind System.out when they start, so swap it around the
   * block.
   */
  private static String printed(Runnable block) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      block.run();
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
