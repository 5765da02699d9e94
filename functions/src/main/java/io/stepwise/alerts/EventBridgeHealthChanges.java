package io.stepwise.alerts;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.stepwise.health.HealthChanges;
import io.stepwise.health.ModelHealth;
import io.stepwise.model.Times;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * On AWS, each model status change becomes an EventBridge event on {@code
 * stepwise.alerts.event-bus} (the stack sets {@code default} for the health check): source {@code
 * stepwise}, detail-type {@code Model health changed}, detail {@code {model, from, to, checkedAt,
 * errorCode, errorMessage}}. The stack routes them to the alert topic; anyone may add rules of
 * their own.
 */
@Singleton
@Requires(property = "stepwise.alerts.event-bus")
public class EventBridgeHealthChanges implements HealthChanges {

  public static final String SOURCE = "stepwise";
  public static final String DETAIL_TYPE = "Model health changed";

  private static final Logger LOG = LoggerFactory.getLogger(EventBridgeHealthChanges.class);

  private final EventBridgeClient events;
  private final String bus;
  private final JsonMapper json;

  public EventBridgeHealthChanges(
      EventBridgeClient events,
      @Value("${stepwise.alerts.event-bus}") String bus,
      JsonMapper json) {
    this.events = events;
    this.bus = bus;
    this.json = json;
  }

  @Override
  public void changed(ModelHealth before, ModelHealth after) {
    String detail = detail(before, after);
    try {
      PutEventsResponse response =
          events.putEvents(
              b ->
                  b.entries(
                      e ->
                          e.eventBusName(bus)
                              .source(SOURCE)
                              .detailType(DETAIL_TYPE)
                              .detail(detail)));
      if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
        LOG.warn(
            "model {}: EventBridge refused the health change event: {}",
            after.name(),
            response.entries().get(0).errorMessage());
      }
    } catch (SdkException e) {
      // The change is logged and in the alert history already; the event is a notification.
      LOG.warn("model {}: health change event not sent: {}", after.name(), e.getMessage());
    }
  }

  String detail(ModelHealth before, ModelHealth after) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("model", after.name());
    d.put("from", before.status().wire());
    d.put("to", after.status().wire());
    d.put("checkedAt", after.checkedAt() == null ? null : Times.format(after.checkedAt()));
    d.put("errorCode", after.errorCode());
    d.put("errorMessage", after.errorMessage());
    try {
      return json.writeValueAsString(d);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
