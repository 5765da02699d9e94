package io.stepwise.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;

/**
 * {@code %rootCause} in a pattern: {@code " (IOException: Connection reset)"}, the innermost cause
 * of the event's throwable on the same line, or nothing when it has none. For libraries that log
 * each failure they recover from with its whole trace (logback.xml).
 */
public class RootCause extends ClassicConverter {

  @Override
  public String convert(ILoggingEvent event) {
    IThrowableProxy cause = event.getThrowableProxy();
    if (cause == null) {
      return "";
    }
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    String type = cause.getClassName().substring(cause.getClassName().lastIndexOf('.') + 1);
    String message = cause.getMessage() == null ? "" : ": " + cause.getMessage().strip();
    return " (" + type + message.lines().findFirst().orElse("") + ")";
  }
}
