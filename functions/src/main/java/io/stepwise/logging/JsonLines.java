package io.stepwise.logging;

import static ch.qos.logback.core.encoder.JsonEscapeUtil.jsonEscapeString;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import java.util.List;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per log line, as CloudWatch Logs Insights reads them: {@code timestamp} (epoch
 * milliseconds), {@code level}, {@code logger}, {@code message}, every MDC entry at the top level
 * ({@code taskId}, {@code runId}, {@code pipeline}, {@code step}, {@code executionArn}, {@code
 * requestId} where known, see {@link LogContext}), the event's key-value pairs (a model call's
 * tokens and outcome) and, for a failure, {@code throwable}.
 *
 * <p>Logback's own {@link JsonEncoder} writes the line (escaping, throwables); this subclass only
 * turns off what an operator does not query (sequence numbers, nanoseconds, the logger context, the
 * unformatted message and its arguments) and lifts the MDC to the top level so that a query says
 * {@code filter taskId = "…"}. Chosen over Powertools for Java's logging module, which brings
 * AspectJ weaving and its own dependencies into every function's cold start, for the same fields.
 */
public class JsonLines extends JsonEncoder {

  public JsonLines() {
    setWithSequenceNumber(false);
    setWithNanoseconds(false);
    setWithThreadName(false);
    setWithLoggerName(false);
    setWithContext(false);
    setWithMessage(false);
    setWithArguments(false);
    setWithFormattedMessage(false);
  }

  @Override
  protected void appendMDC(StringBuilder sb, ILoggingEvent event) {
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc == null) {
      return;
    }
    mdc.forEach(
        (key, value) -> {
          if (value != null) {
            sb.append(VALUE_SEPARATOR);
            appenderMember(sb, jsonEscapeString(key), jsonEscapeString(value));
          }
        });
  }

  /** A failure's {@code throwable}; nothing at all for an event without one. */
  @Override
  protected void appendThrowableProxy(StringBuilder sb, String name, IThrowableProxy throwable) {
    if (throwable != null) {
      super.appendThrowableProxy(sb, name, throwable);
    }
  }

  /** The event's key-value pairs as top-level fields; numbers and booleans stay JSON's own. */
  @Override
  protected void appendKeyValuePairs(StringBuilder sb, ILoggingEvent event) {
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs == null) {
      return;
    }
    for (KeyValuePair pair : pairs) {
      if (pair.value == null) {
        continue;
      }
      sb.append(VALUE_SEPARATOR);
      if (pair.value instanceof Number || pair.value instanceof Boolean) {
        sb.append(QUOTE).append(jsonEscapeString(pair.key)).append(QUOTE_COL).append(pair.value);
      } else {
        appenderMember(sb, jsonEscapeString(pair.key), jsonEscapeString(pair.value.toString()));
      }
    }
  }

  @Override
  protected void appendCustomFields(StringBuilder sb, ILoggingEvent event) {
    sb.append(VALUE_SEPARATOR);
    appenderMember(sb, "logger", jsonEscapeString(event.getLoggerName()));
    sb.append(VALUE_SEPARATOR);
    String message = event.getFormattedMessage();
    appenderMember(sb, "message", message == null ? "" : jsonEscapeString(message));
  }
}
