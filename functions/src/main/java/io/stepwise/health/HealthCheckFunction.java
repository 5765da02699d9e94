package io.stepwise.health;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.stepwise.lambda.JsonFunction;
import io.stepwise.lambda.ScheduledEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda handler of {@code health-check}, the target of an EventBridge schedule ({@code rate(1
 * minute)}): one sweep of every enabled model. EventBridge may deliver an event twice; the sweep's
 * conditional writes make the second delivery store nothing new.
 */
public class HealthCheckFunction extends JsonFunction<ScheduledEvent, HealthCheckFunction.Summary> {

  private static final Logger LOG = LoggerFactory.getLogger(HealthCheckFunction.class);

  private final HealthSweep sweep;

  public HealthCheckFunction() {
    super(ScheduledEvent.class);
    this.sweep = bean(HealthSweep.class);
  }

  public HealthCheckFunction(ApplicationContext context) {
    super(context, ScheduledEvent.class);
    this.sweep = bean(HealthSweep.class);
  }

  /** What the invocation returns (visible in the Lambda console and the local runtime's log). */
  @Serdeable
  public record Summary(
      int probed, int written, int fresh, long durationMs, Map<String, String> statuses) {}

  @Override
  public Summary handle(@Nullable ScheduledEvent event) {
    if (event != null && event.id() != null) {
      LOG.debug("scheduled event {} at {}", event.id(), event.time());
    }
    SweepReport report = sweep.sweep();
    Map<String, String> statuses = new LinkedHashMap<>();
    report.models().forEach(m -> statuses.put(m.name(), m.status().wire()));
    return new Summary(
        report.probed(), report.written(), report.fresh(), report.durationMs(), statuses);
  }
}
