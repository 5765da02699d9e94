package io.stepwise.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Configures logback in code when running on Lambda: the same console output as logback.xml, without logback's
 * XML configurator, whose parser and model classes were a few hundred milliseconds of every cold start
 * ({@code io.stepwise.bench.ColdStartBenchmark}). Anywhere else (tests, the local runtime) it steps aside and
 * logback.xml applies as before. Registered in {@code META-INF/services}.
 */
public class LambdaLogConfigurator extends ContextAwareBase implements Configurator {

  /** Set by the Lambda runtime in every function's environment. */
  static final String LAMBDA_MARKER = "AWS_LAMBDA_FUNCTION_NAME";
  /** Keep in step with logback.xml. */
  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext loggerContext) {
    if (System.getenv(LAMBDA_MARKER) == null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(loggerContext);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(loggerContext);
    console.setName("STDOUT");
    console.setEncoder(encoder);
    console.start();
    ch.qos.logback.classic.Logger root = loggerContext.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
