package io.stepwise.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

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

  /** Their fields (the events' key-value pairs), one JSON object each, as on Lambda. */
  public List<String> lines() {
    return appender.list.stream().map(ModelCallLog::fields).toList();
  }

  /** The fields of the {@code i}th event, as a JSON object. */
  public String fields(int i) {
    return fields(appender.list.get(i));
  }

  /** The fields (key-value pairs) of one model-call event, as a JSON object. */
  public static String fields(ILoggingEvent event) {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
      json.writeStartObject();
      for (KeyValuePair pair : event.getKeyValuePairs()) {
        json.writeFieldName(pair.key);
        if (pair.value instanceof Number n) {
          json.writeNumber(n.toString());
        } else {
          json.writeString(String.valueOf(pair.value));
        }
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static Logger logger() {
    return (Logger) LoggerFactory.getLogger("stepwise.model-calls");
  }
}
