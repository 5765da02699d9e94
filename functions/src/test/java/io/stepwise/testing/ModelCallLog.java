package io.stepwise.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * The {@code stepwise.model-calls} log lines of one test: {@code @RegisterExtension} it, read
 * {@link #events}.
 */
public final class ModelCallLog implements BeforeEachCallback, AfterEachCallback {

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  @Override
  public void beforeEach(ExtensionContext context) {
    appender.list.clear();
    appender.start();
    logger().addAppender(appender);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    logger().detachAppender(appender);
  }

  /** The model-call log events of this test so far, oldest first. */
  public List<ILoggingEvent> events() {
    return appender.list;
  }

  /** Their formatted messages (one JSON object each). */
  public List<String> lines() {
    return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  private static Logger logger() {
    return (Logger) LoggerFactory.getLogger("stepwise.model-calls");
  }
}
