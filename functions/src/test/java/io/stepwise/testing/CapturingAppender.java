package io.stepwise.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;

/**
 * Hands every log line of the test JVM, stack traces included, to {@link LeakScan} (wired in
 * logback-test.xml).
 */
public class CapturingAppender extends AppenderBase<ILoggingEvent> {

  @Override
  protected void append(ILoggingEvent event) {
    String text = event.getFormattedMessage();
    if (event.getThrowableProxy() != null) {
      text = text + "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
    }
    LeakScan.record("log line of " + event.getLoggerName(), text);
  }
}
