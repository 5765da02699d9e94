package io.stepwise.local;

import io.micronaut.context.ApplicationContext;
import io.stepwise.health.HealthCheckFunction;
import io.stepwise.health.HealthConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What EventBridge's {@code rate(1 minute)} rule does on AWS: every {@code stepwise.health.interval}, starting at
 * once, invoke the health-check handler through its Lambda entry point with a scheduled event of the AWS shape.
 */
final class HealthSchedule implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HealthSchedule.class);

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "health-schedule");
    t.setDaemon(true);
    return t;
  });
  private final HealthCheckFunction function;

  private HealthSchedule(ApplicationContext context) {
    this.function = new HealthCheckFunction(context);
    long every = context.getBean(HealthConfig.class).interval().toMillis();
    timer.scheduleAtFixedRate(this::fire, 0, every, TimeUnit.MILLISECONDS);
  }

  static HealthSchedule start(ApplicationContext context) {
    return new HealthSchedule(context);
  }

  private void fire() {
    String event = """
        {"version":"0","id":"%s","detail-type":"Scheduled Event","source":"aws.events","account":"%s",\
        "time":"%s","region":"%s","resources":["arn:aws:events:%s:%s:rule/stepwise-health-check"],"detail":{}}"""
        .formatted(UUID.randomUUID(), io.stepwise.sfnlocal.StepFunctionsEmulator.ACCOUNT, Instant.now().truncatedTo(ChronoUnit.SECONDS),
            io.stepwise.sfnlocal.StepFunctionsEmulator.REGION, io.stepwise.sfnlocal.StepFunctionsEmulator.REGION,
            io.stepwise.sfnlocal.StepFunctionsEmulator.ACCOUNT);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      function.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
      LOG.debug("health check: {}", out.toString(StandardCharsets.UTF_8));
    } catch (Exception e) {
      // A failed sweep must not end the schedule; the next one runs on time, as a Lambda would be invoked again.
      LOG.warn("health check failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
