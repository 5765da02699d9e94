package io.stepwise.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * How to run the local runtime. Flags win over environment variables, which win over defaults.
 *
 * @param apiPort API and dashboard ({@code --port}, {@code STEPWISE_PORT}, 8080; 0 = any free port)
 * @param sfnPort Step Functions emulator ({@code --sfn-port}, 8083)
 * @param dynamoPort DynamoDB Local ({@code --dynamo-port}, 8000)
 * @param timeScale factor for every Retry interval and Wait ({@code --time-scale}, {@code
 *     STEPWISE_TIME_SCALE}, 1)
 * @param dataDir keeps DynamoDB data and blobs across restarts ({@code --data-dir}); null = in
 *     memory
 * @param realModels use the configured model providers instead of the local ones ({@code
 *     --real-models})
 * @param healthInterval seconds between scheduled health checks ({@code --health-interval}, {@code
 *     STEPWISE_HEALTH_INTERVAL}); null = {@code stepwise.health.interval} (60 s)
 * @param auth require a JWT on the API from the built-in dev issuer, as API Gateway's authorizer
 *     does on AWS ({@code --auth}, {@code STEPWISE_AUTH=true}); false = the API is open
 * @param realSources fetch papers from the real arXiv and Hugging Face endpoints ({@code
 *     --real-sources})
 * @param configFile a YAML or properties file on top of application.properties ({@code --config
 *     FILE}): models, keys' variable names, defaults; null = none
 * @param healthMinGap least seconds between two probes of a model, however asked ({@code
 *     --health-min-gap}, {@code STEPWISE_HEALTH_MIN_GAP}); null = {@code stepwise.health.min-gap}
 *     (10 s)
 * @param jsonLogs one JSON object per console line, as on Lambda ({@code --log-format json}, {@code
 *     STEPWISE_LOG_FORMAT=json}); false = one readable line per event ({@code text})
 *     <p>The time scale also shortens the reconciler's interval and grace ({@link
 *     #reconcilerProperties}).
 */
public record Options(
    int apiPort,
    int sfnPort,
    int dynamoPort,
    double timeScale,
    Path dataDir,
    boolean realModels,
    Duration healthInterval,
    Duration healthMinGap,
    boolean auth,
    boolean realSources,
    Path configFile,
    boolean jsonLogs) {

  public static Options parse(String[] args, Map<String, String> env) {
    int apiPort = port(env.getOrDefault("STEPWISE_PORT", "8080"), "STEPWISE_PORT");
    int sfnPort = port(env.getOrDefault("STEPWISE_SFN_PORT", "8083"), "STEPWISE_SFN_PORT");
    int dynamoPort = port(env.getOrDefault("STEPWISE_DYNAMO_PORT", "8000"), "STEPWISE_DYNAMO_PORT");
    double timeScale = factor(env.getOrDefault("STEPWISE_TIME_SCALE", "1"), "STEPWISE_TIME_SCALE");
    Path dataDir =
        env.containsKey("STEPWISE_DATA_DIR") ? Path.of(env.get("STEPWISE_DATA_DIR")) : null;
    boolean realModels = false;
    boolean auth = Boolean.parseBoolean(env.getOrDefault("STEPWISE_AUTH", "false"));
    boolean realSources = false;
    Path configFile = null;
    boolean jsonLogs =
        logFormat(env.getOrDefault("STEPWISE_LOG_FORMAT", "text"), "STEPWISE_LOG_FORMAT");
    Duration healthInterval =
        seconds(env.get("STEPWISE_HEALTH_INTERVAL"), "STEPWISE_HEALTH_INTERVAL");
    Duration healthMinGap = seconds(env.get("STEPWISE_HEALTH_MIN_GAP"), "STEPWISE_HEALTH_MIN_GAP");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> apiPort = port(value(args, ++i), "--port");
        case "--sfn-port" -> sfnPort = port(value(args, ++i), "--sfn-port");
        case "--dynamo-port" -> dynamoPort = port(value(args, ++i), "--dynamo-port");
        case "--time-scale" -> timeScale = factor(value(args, ++i), "--time-scale");
        case "--data-dir" -> dataDir = Path.of(value(args, ++i));
        case "--real-models" -> realModels = true;
        case "--auth" -> auth = true;
        case "--real-sources" -> realSources = true;
        case "--config" -> configFile = Path.of(value(args, ++i));
        case "--log-format" -> jsonLogs = logFormat(value(args, ++i), "--log-format");
        case "--health-interval" -> healthInterval = seconds(value(args, ++i), "--health-interval");
        case "--health-min-gap" -> healthMinGap = seconds(value(args, ++i), "--health-min-gap");
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + usage());
      }
    }
    if (configFile != null && !Files.isReadable(configFile)) {
      throw new IllegalArgumentException("--config " + configFile + ": no such readable file");
    }
    return new Options(
        apiPort,
        sfnPort,
        dynamoPort,
        timeScale,
        dataDir,
        realModels,
        healthInterval,
        healthMinGap,
        auth,
        realSources,
        configFile,
        jsonLogs);
  }

  private static boolean logFormat(String value, String name) {
    return switch (value) {
      case "json" -> true;
      case "text" -> false;
      default -> throw new IllegalArgumentException(name + " must be text or json, not " + value);
    };
  }

  /** For tests: every port free, fast retries, in memory. */
  public static Options ephemeral(double timeScale) {
    return new Options(0, 0, 0, timeScale, null, false, null, null, false, false, null, false);
  }

  /** The same options with the API behind the dev issuer's JWT check ({@code --auth}). */
  public Options withAuth() {
    return new Options(
        apiPort,
        sfnPort,
        dynamoPort,
        timeScale,
        dataDir,
        realModels,
        healthInterval,
        healthMinGap,
        true,
        realSources,
        configFile,
        jsonLogs);
  }

  /** Reconciler interval and grace locally at time scale 1 (on AWS: 5 min and 2 min). */
  static final Duration LOCAL_RECONCILER_INTERVAL = Duration.ofSeconds(30);

  static final Duration LOCAL_RECONCILER_GRACE = Duration.ofSeconds(10);
  private static final Duration RECONCILER_FLOOR = Duration.ofSeconds(1);

  /**
   * The reconciler locally: every 30 s, checking tasks quiet for 10 s, both multiplied by the time
   * scale (no less than 1 s). Shorter than on AWS because here its main job is the restart after a
   * crash: the emulator redelivers the status events it had not delivered, but DynamoDB Local may
   * have lost the last writes of an event it had (the task then still says running although its
   * execution ended), and the sweep on start plus the next ones repair that within a grace and an
   * interval. The grace is how long an event may still be on its way; locally that is milliseconds,
   * and a sweep that overlaps one changes nothing (the lifecycle's checks).
   */
  Map<String, Object> reconcilerProperties() {
    return Map.of(
        "stepwise.reconciler.interval", scaled(LOCAL_RECONCILER_INTERVAL).toMillis() + "ms",
        "stepwise.reconciler.grace", scaled(LOCAL_RECONCILER_GRACE).toMillis() + "ms");
  }

  /**
   * How often the local runtime evaluates the alerts unless configured ({@code
   * stepwise.alerts.interval}): every minute as on AWS, times the time scale (no less than 1 s), so
   * a test at a small scale sees an alert within a second.
   */
  Duration alertsInterval() {
    return scaled(Duration.ofMinutes(1));
  }

  private Duration scaled(Duration atScaleOne) {
    Duration d = Duration.ofMillis(Math.round(atScaleOne.toMillis() * timeScale));
    return d.compareTo(RECONCILER_FLOOR) < 0 ? RECONCILER_FLOOR : d;
  }

  /** The configuration properties these options set on top of application.properties. */
  Map<String, Object> healthProperties() {
    Map<String, Object> p = new HashMap<>();
    if (healthInterval != null) {
      p.put("stepwise.health.interval", healthInterval.toMillis() + "ms");
    }
    if (healthMinGap != null) {
      p.put("stepwise.health.min-gap", healthMinGap.toMillis() + "ms");
    }
    return p;
  }

  /**
   * Whether the arguments ask for the usage text ({@code --help}, {@code -h}): printed, and the
   * exit is 0.
   */
  public static boolean wantsHelp(String[] args) {
    return Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h"));
  }

  private static int port(String text, String name) {
    try {
      int port = Integer.parseInt(text.trim());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // the message below says what is wanted
    }
    throw new IllegalArgumentException(
        name + " takes a port number from 0 to 65535 (0: any free port); got \"" + text + "\"");
  }

  private static double factor(String text, String name) {
    double value;
    try {
      value = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " takes a positive number, e.g. 0.1; got \"" + text + "\"");
    }
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be a positive number; got \"" + text + "\"");
    }
    return value;
  }

  private static Duration seconds(String text, String name) {
    if (text == null) {
      return null;
    }
    double seconds;
    try {
      seconds = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " takes seconds, e.g. 60; got \"" + text + "\"");
    }
    if (!(seconds > 0)) {
      throw new IllegalArgumentException(name + " must be a positive number of seconds");
    }
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  static String usage() {
    return "usage: java -jar stepwise-local.jar [--port 8080] [--sfn-port 8083] [--dynamo-port 8000] "
        + "[--time-scale 1] [--data-dir DIR] [--real-models] [--real-sources] [--config FILE] [--auth] [--health-interval 60] [--health-min-gap 10] [--log-format text|json]\n"
        + "       java -jar stepwise-local.jar sfn [--port 8083] [--time-scale 1] [--data-dir DIR] [--lambda-endpoint URL] "
        + "[--mock-config FILE]   (the emulator alone)";
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException("option " + args[i - 1] + " needs a value\n" + usage());
    }
    return args[i];
  }
}
