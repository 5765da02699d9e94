package io.stepwise.alerts;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.ConversionService;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The alert rules' thresholds ({@code stepwise.alerts.*}), with seed 002's defaults. Read and
 * checked when the application context starts ({@code @Context}), so an invalid value stops every
 * function and the local runtime at once, with a message naming the key, instead of an alert that
 * silently never fires. The AWS alarms are built from the same defaults ({@code infra}'s {@code
 * Alarms}).
 */
@Context
public class AlertConfig {

  public static final double DEFAULT_FAILURE_RATE_PERCENT = 10;
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);
  public static final int DEFAULT_MIN_TASKS = 5;
  public static final Duration DEFAULT_SLOW_TASKS = Duration.ofMinutes(2);
  public static final Duration DEFAULT_STUCK_AFTER = Duration.ofMinutes(10);
  public static final int DEFAULT_BACKLOG = 50;

  /** The longest window: tasks are kept 30 days. */
  private static final Duration MAX_WINDOW = Duration.ofDays(30);

  private static final String PREFIX = "stepwise.alerts.";

  private final Environment environment;
  private final double failureRatePercent;
  private final Duration failureRateWindow;
  private final int failureRateMinTasks;
  private final Duration slowTasksThreshold;
  private final Duration slowTasksWindow;
  private final Duration stuckAfter;
  private final int backlogThreshold;
  private final Duration interval;
  private final Duration historyRetention;
  @Nullable private final URI webhookUrl;
  @Nullable private final String webhookSecretEnv;
  private final Duration webhookTimeout;

  public AlertConfig(Environment environment) {
    this.environment = environment;
    this.failureRatePercent =
        read(
            "failure-rate.threshold",
            DEFAULT_FAILURE_RATE_PERCENT,
            AlertConfig::number,
            v -> v > 0 && v < 100,
            "a percentage above 0 and below 100 (10 means 10 %)");
    this.failureRateWindow = window("failure-rate.window");
    this.failureRateMinTasks =
        read(
            "failure-rate.min-tasks",
            DEFAULT_MIN_TASKS,
            AlertConfig::whole,
            v -> v >= 1,
            "a whole number of at least 1");
    this.slowTasksThreshold = positive("slow-tasks.threshold", DEFAULT_SLOW_TASKS);
    this.slowTasksWindow = window("slow-tasks.window");
    this.stuckAfter = positive("stuck-tasks.after", DEFAULT_STUCK_AFTER);
    this.backlogThreshold =
        read(
            "backlog.threshold",
            DEFAULT_BACKLOG,
            AlertConfig::whole,
            v -> v >= 0,
            "a whole number of tasks, 0 or more");
    this.interval = positive("interval", Duration.ofMinutes(1));
    this.historyRetention = positive("history-retention", Duration.ofDays(30));
    this.webhookUrl =
        read(
            "webhook-url",
            null,
            AlertConfig::url,
            u -> true,
            "an absolute http or https URL, or empty for none");
    this.webhookSecretEnv = text("webhook-secret-env").orElse(null);
    this.webhookTimeout = positive("webhook-timeout", Duration.ofSeconds(5));
  }

  /** Percent: a higher failure rate (with enough tasks) fires the rule. */
  public double failureRatePercent() {
    return failureRatePercent;
  }

  public Duration failureRateWindow() {
    return failureRateWindow;
  }

  /** Fewer finished (succeeded or failed) tasks in the window than this never fire the rule. */
  public int failureRateMinTasks() {
    return failureRateMinTasks;
  }

  public Duration slowTasksThreshold() {
    return slowTasksThreshold;
  }

  public Duration slowTasksWindow() {
    return slowTasksWindow;
  }

  public Duration stuckAfter() {
    return stuckAfter;
  }

  public int backlogThreshold() {
    return backlogThreshold;
  }

  /** How often the local runtime runs the {@code alerts} function (AWS: {@code rate(1 minute)}). */
  public Duration interval() {
    return interval;
  }

  /** How long a transition is kept (DynamoDB TTL). */
  public Duration historyRetention() {
    return historyRetention;
  }

  public Optional<URI> webhookUrl() {
    return Optional.ofNullable(webhookUrl);
  }

  /** The name of the environment variable that holds the webhook's signing secret. */
  @Nullable public String webhookSecretEnv() {
    return webhookSecretEnv;
  }

  public Duration webhookTimeout() {
    return webhookTimeout;
  }

  /** A rule's threshold in its unit ({@link AlertRule#unit()}). */
  public double threshold(AlertRule rule) {
    return switch (rule) {
      case FAILURE_RATE -> failureRatePercent;
      case SLOW_TASKS -> slowTasksThreshold.toMillis();
      case STUCK_TASKS, MODEL_HEALTH -> 0;
      case BACKLOG -> backlogThreshold;
    };
  }

  /** The period a rule looks at, or null when it looks at the present only. */
  @Nullable public Duration window(AlertRule rule) {
    return switch (rule) {
      case FAILURE_RATE -> failureRateWindow;
      case SLOW_TASKS -> slowTasksWindow;
      case STUCK_TASKS -> stuckAfter;
      case BACKLOG, MODEL_HEALTH -> null;
    };
  }

  /** A duration as a label: {@code 15m}, {@code 2h}, {@code 1d}, {@code 90s}. */
  public static String label(Duration d) {
    long s = d.toSeconds();
    if (s > 0 && s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s > 0 && s % 3_600 == 0) {
      return s / 3_600 + "h";
    }
    if (s > 0 && s % 60 == 0) {
      return s / 60 + "m";
    }
    return d.toMillis() % 1000 == 0 ? s + "s" : d.toMillis() + "ms";
  }

  // ---- reading and checking

  private Optional<String> text(String key) {
    return environment
        .getProperty(PREFIX + key, String.class)
        .map(String::trim)
        .filter(v -> !v.isEmpty());
  }

  private <T> T read(
      String key,
      T fallback,
      Function<String, T> parse,
      java.util.function.Predicate<T> valid,
      String expected) {
    Optional<String> value = text(key);
    if (value.isEmpty()) {
      return fallback;
    }
    T parsed;
    try {
      parsed = parse.apply(value.get());
    } catch (IllegalArgumentException e) {
      parsed = null;
    }
    if (parsed == null || !valid.test(parsed)) {
      throw new IllegalStateException(
          PREFIX + key + " must be " + expected + ", not " + value.get());
    }
    return parsed;
  }

  private Duration positive(String key, Duration fallback) {
    return read(
        key,
        fallback,
        AlertConfig::duration,
        d -> !d.isNegative() && !d.isZero(),
        "a duration above 0 such as 90s, 10m or 2h");
  }

  private Duration window(String key) {
    return read(
        key,
        DEFAULT_WINDOW,
        AlertConfig::duration,
        d -> d.toSeconds() >= 60 && d.compareTo(MAX_WINDOW) <= 0,
        "a duration from 1m to 30d such as 15m or 1h");
  }

  private static Double number(String text) {
    double v = Double.parseDouble(text);
    return Double.isFinite(v) ? v : null;
  }

  private static Integer whole(String text) {
    return Integer.valueOf(text);
  }

  private static Duration duration(String text) {
    return ConversionService.SHARED.convert(text, Duration.class).orElse(null);
  }

  private static URI url(String text) {
    URI uri = URI.create(text);
    boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
    return web && uri.getHost() != null ? uri : null;
  }
}
