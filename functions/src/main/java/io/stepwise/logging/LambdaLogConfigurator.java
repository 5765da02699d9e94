package io.stepwise.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;

/**
 * Configures logback in code when running on Lambda: the same console output as logback.xml,
 * without logback's XML configurator, whose parser and model classes were a few hundred
 * milliseconds of every cold start ({@code io.stepwise.bench.ColdStartBenchmark}). Anywhere else
 * (tests, the local runtime) it steps aside and logback.xml applies as before. Registered in {@code
 * META-INF/services}.
 *
 * <p>Keep in step with logback.xml: both define the pattern for ordinary lines and the {@value
 * #METRICS_LOGGER} logger, whose lines are bare JSON because CloudWatch extracts embedded-format
 * metrics only from a log event that is a JSON object ({@code
 * io.stepwise.metrics.EmfTaskOutcomes}).
 */
public class LambdaLogConfigurator extends ContextAwareBase implements Configurator {

  /** Set by the Lambda runtime in every function's environment. */
  static final String LAMBDA_MARKER = "AWS_LAMBDA_FUNCTION_NAME";

  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n";

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
    root.addAppender(console(loggerContext, "STDOUT", PATTERN));
    ch.qos.logback.classic.Logger metrics = loggerContext.getLogger(METRICS_LOGGER);
    metrics.setLevel(Level.INFO);
    metrics.setAdditive(false);
    metrics.addAppender(console(loggerContext, "EMF", METRICS_PATTERN));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static ConsoleAppender<ILoggingEvent> console(
      LoggerContext context, String name, String pattern) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(pattern);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName(name);
    console.setEncoder(encoder);
    console.start();
    return console;
  }
}
