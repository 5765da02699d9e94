package io.stepwise.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LambdaLogConfiguratorTest {

  @Test
  void onLambda_metricLinesAreBareJson_otherLinesCarryThePattern() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter()); // what logback's service provider does at start
    String printed =
        printed(
            () -> {
              ExecutionStatus status =
                  new LambdaLogConfigurator(Map.of("AWS_LAMBDA_FUNCTION_NAME", "stepwise-api")::get)
                      .configure(context);
              assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
              context.getLogger(LambdaLogConfigurator.METRICS_LOGGER).info("{\"_aws\":{}}");
              context.getLogger("io.stepwise.tasks.TaskService").info("task started");
              context.getLogger("io.stepwise.tasks.TaskService").debug("not at info");
            });

    assertThat(printed.lines())
        .as("one line each; the metric line printed once (not again by the root logger)")
        .hasSize(2);
    assertThat(printed.lines().toList().get(0)).isEqualTo("{\"_aws\":{}}");
    assertThat(printed.lines().toList().get(1))
        .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main\\] .*TaskService - task started");
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
