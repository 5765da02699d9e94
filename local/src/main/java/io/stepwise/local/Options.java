package io.stepwise.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to run the local runtime. Flags win over environment variables, which win over defaults.
 *
 * @param apiPort API and dashboard ({@code --port}, {@code STEPWISE_PORT}, 8080; 0 = any free port)
 * @param sfnPort Step Functions emulator ({@code --sfn-port}, 8083)
 * @param dynamoPort DynamoDB Local ({@code --dynamo-port}, 8000)
 * @param timeScale factor for every Retry interval and Wait ({@code --time-scale}, {@code STEPWISE_TIME_SCALE}, 1)
 * @param dataDir keeps DynamoDB data and blobs across restarts ({@code --data-dir}); null = in memory
 * @param realModels use the configured model providers instead of the local ones ({@code --real-models})
 */
public record Options(int apiPort, int sfnPort, int dynamoPort, double timeScale, Path dataDir, boolean realModels) {

  public static Options parse(String[] args, Map<String, String> env) {
    int apiPort = Integer.parseInt(env.getOrDefault("STEPWISE_PORT", "8080"));
    int sfnPort = Integer.parseInt(env.getOrDefault("STEPWISE_SFN_PORT", "8083"));
    int dynamoPort = Integer.parseInt(env.getOrDefault("STEPWISE_DYNAMO_PORT", "8000"));
    double timeScale = Double.parseDouble(env.getOrDefault("STEPWISE_TIME_SCALE", "1"));
    Path dataDir = env.containsKey("STEPWISE_DATA_DIR") ? Path.of(env.get("STEPWISE_DATA_DIR")) : null;
    boolean realModels = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> apiPort = Integer.parseInt(value(args, ++i));
        case "--sfn-port" -> sfnPort = Integer.parseInt(value(args, ++i));
        case "--dynamo-port" -> dynamoPort = Integer.parseInt(value(args, ++i));
        case "--time-scale" -> timeScale = Double.parseDouble(value(args, ++i));
        case "--data-dir" -> dataDir = Path.of(value(args, ++i));
        case "--real-models" -> realModels = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + usage());
      }
    }
    if (timeScale <= 0) {
      throw new IllegalArgumentException("--time-scale must be positive");
    }
    return new Options(apiPort, sfnPort, dynamoPort, timeScale, dataDir, realModels);
  }

  /** For tests: every port free, fast retries, in memory. */
  public static Options ephemeral(double timeScale) {
    return new Options(0, 0, 0, timeScale, null, false);
  }

  static String usage() {
    return "usage: java -jar stepwise-local.jar [--port 8080] [--sfn-port 8083] [--dynamo-port 8000] "
        + "[--time-scale 1] [--data-dir DIR] [--real-models]\n"
        + "       java -jar stepwise-local.jar sfn [--port 8083] [--time-scale 1]   (the emulator alone)";
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException("option " + args[i - 1] + " needs a value\n" + usage());
    }
    return args[i];
  }
}
