package io.stepwise.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.micronaut.context.ApplicationContext;
import io.stepwise.alerts.AlertConfig;
import io.stepwise.catalog.Handler;
import io.stepwise.catalog.Handlers;
import io.stepwise.health.HealthConfig;
import io.stepwise.sfnlocal.StepFunctionsEmulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What EventBridge's schedules do on AWS, for every scheduled function of the handler catalogue:
 * starting at once, then every interval, invoke its handler through its Lambda entry point with a
 * scheduled event of the AWS shape. The health check runs every {@code stepwise.health.interval},
 * the reconciler every {@code stepwise.reconciler.interval} (so a task whose status event a crash
 * lost is repaired on start), the alerts every {@code stepwise.alerts.interval}.
 */
final class Schedules implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Schedules.class);

  private final ScheduledExecutorService timer =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "schedules");
            t.setDaemon(true);
            return t;
          });

  private Schedules(
      ApplicationContext context, Handlers handlers, Map<String, Object> handlerInstances) {
    Map<String, Duration> every =
        Map.of(
            Handlers.HEALTH_CHECK, context.getBean(HealthConfig.class).interval(),
            Handlers.RECONCILER,
                context.getProperty(
                    "stepwise.reconciler.interval", Duration.class, Duration.ofMinutes(5)),
            Handlers.ALERTS, context.getBean(AlertConfig.class).interval());
    for (Handler handler : handlers.all()) {
      if (handler.trigger() != Handler.Trigger.SCHEDULE) {
        continue;
      }
      Duration interval = every.get(handler.functionName());
      if (interval == null) {
        throw new IllegalStateException(
            "the local runtime has no interval for the scheduled function "
                + handler.functionName());
      }
      RequestStreamHandler function =
          (RequestStreamHandler) handlerInstances.get(handler.functionName());
      timer.scheduleAtFixedRate(
          () -> fire(handler.functionName(), function),
          0,
          interval.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  static Schedules start(
      ApplicationContext context, Handlers handlers, Map<String, Object> handlerInstances) {
    return new Schedules(context, handlers, handlerInstances);
  }

  private static void fire(String name, RequestStreamHandler function) {
    String event =
        """
        {"version":"0","id":"%s","detail-type":"Scheduled Event","source":"aws.events","account":"%s",\
        "time":"%s","region":"%s","resources":["arn:aws:events:%s:%s:rule/stepwise-%s"],"detail":{}}"""
            .formatted(
                UUID.randomUUID(),
                StepFunctionsEmulator.ACCOUNT,
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                StepFunctionsEmulator.REGION,
                StepFunctionsEmulator.REGION,
                StepFunctionsEmulator.ACCOUNT,
                name);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      function.handleRequest(
          new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
      LOG.debug("{}: {}", name, out.toString(StandardCharsets.UTF_8));
    } catch (Exception e) {
      // A failed run must not end the schedule; the next one runs on time, as a Lambda would be
      // invoked again.
      LOG.warn("{} failed: {}", name, e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
