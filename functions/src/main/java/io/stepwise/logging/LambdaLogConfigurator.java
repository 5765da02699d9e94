package io.stepwise.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;

/**
 * Configures logback in code when running on Lambda: one JSON object per line ({@link JsonLines}),
 * which CloudWatch Logs Insights reads as fields, without logback's XML configurator, whose parser
 * and model classes were a few hundred milliseconds of every cold start ({@code
 * io.stepwise.bench.ColdStartBenchmark}). Anywhere else (tests, the local runtime) it steps aside
 * and logback.xml applies as before. Registered in {@code META-INF/services}.
 *
 * <p>Keep in step with logback.xml: both quiet the same libraries and define the {@value
 * #METRICS_LOGGER} logger, whose lines are bare JSON because CloudWatch extracts embedded-format
 * metrics only from a log event that is a JSON object ({@code
 * io.stepwise.metrics.EmfTaskOutcomes}).
 */
public class LambdaLogConfigurator extends ContextAwareBase implements Configurator {

  /** Set by the Lambda runtime in every function's environment. */
  public static final String LAMBDA_MARKER = "AWS_LAMBDA_FUNCTION_NAME";

  /** Libraries that log each session or connection at INFO (as logback.xml has them). */
  static final List<String> QUIET_LIBRARIES =
      List.of("io.modelcontextprotocol", "reactor", "org.eclipse.jetty", "io.micronaut.context");

  /** The embedded-metric-format logger: its message is the whole line. */
  public static final String METRICS_LOGGER = "stepwise.metrics";

  static final String METRICS_PATTERN = "%msg%n";

  private final UnaryOperator<String> environment;

  public LambdaLogConfigurator() {
    this(System::getenv);
  }

  LambdaLogConfigurator(UnaryOperator<String> environment) {
    this.environment = environment;
  }

  @Override
  public ExecutionStatus configure(LoggerContext loggerContext) {
    if (environment.apply(LAMBDA_MARKER) == null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    ch.qos.logback.classic.Logger root = loggerContext.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console(loggerContext, "STDOUT", new JsonLines()));
    for (String chatty : QUIET_LIBRARIES) {
      loggerContext.getLogger(chatty).setLevel(Level.WARN);
    }
    ch.qos.logback.classic.Logger metrics = loggerContext.getLogger(METRICS_LOGGER);
    metrics.setLevel(Level.INFO);
    metrics.setAdditive(false);
    metrics.addAppender(console(loggerContext, "EMF", pattern(METRICS_PATTERN)));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * Replaces the console's line format of a context logback.xml configured: one JSON object per
   * line ({@link JsonLines}), as on Lambda. The local runtime's {@code --log-format json}.
   */
  public static void jsonConsole(LoggerContext context) {
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    ConsoleAppender<ILoggingEvent> json = console(context, "STDOUT_JSON", new JsonLines());
    root.detachAppender("STDOUT");
    root.addAppender(json);
  }

  private static PatternLayoutEncoder pattern(String pattern) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setPattern(pattern);
    return encoder;
  }

  private static ConsoleAppender<ILoggingEvent> console(
      LoggerContext context, String name, Encoder<ILoggingEvent> encoder) {
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName(name);
    console.setEncoder(encoder);
    console.start();
    return console;
  }
}
