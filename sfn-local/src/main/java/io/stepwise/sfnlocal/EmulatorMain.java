package io.stepwise.sfnlocal;

import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * The Step Functions emulator alone ({@code java -jar stepwise-local.jar sfn --port 8083}). Task
 * states reach their functions through a Lambda Invoke endpoint ({@code --lambda-endpoint
 * http://127.0.0.1:3001}, as SAM local or LocalStack serve it), or take mocked responses from a
 * Step Functions Local mock config ({@code --mock-config MockConfigFile.json}, selected by starting
 * {@code <stateMachineArn>#<testCase>}). With {@code --data-dir}, state machines and executions
 * survive a restart and RUNNING executions resume.
 */
public final class EmulatorMain {

  private EmulatorMain() {}

  /**
   * The command line: {@code --port} (8083; 0 = any free port), {@code --time-scale} (1), {@code
   * --data-dir} (in memory), {@code --lambda-endpoint} (none), {@code --mock-config} (none).
   */
  record Options(int port, double timeScale, Path dataDir, URI lambdaEndpoint, Path mockConfig) {

    static Options parse(String[] args) {
      int port = 8083;
      double timeScale = 1;
      Path dataDir = null;
      URI lambdaEndpoint = null;
      Path mockConfig = null;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--port" -> port = Integer.parseInt(value(args, ++i));
          case "--time-scale" -> timeScale = Double.parseDouble(value(args, ++i));
          case "--data-dir" -> dataDir = Path.of(value(args, ++i));
          case "--lambda-endpoint" -> lambdaEndpoint = endpoint(value(args, ++i));
          case "--mock-config" -> mockConfig = Path.of(value(args, ++i));
          default ->
              throw new IllegalArgumentException("unknown option " + args[i] + "\n" + usage());
        }
      }
      if (!(timeScale > 0)) {
        throw new IllegalArgumentException("--time-scale must be positive\n" + usage());
      }
      return new Options(port, timeScale, dataDir, lambdaEndpoint, mockConfig);
    }

    private static URI endpoint(String value) {
      URI uri = URI.create(value);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "--lambda-endpoint must be an http(s) URL, e.g. http://127.0.0.1:3001\n" + usage());
      }
      return uri;
    }

    private static String value(String[] args, int i) {
      if (i >= args.length) {
        throw new IllegalArgumentException("option " + args[i - 1] + " needs a value\n" + usage());
      }
      return args[i];
    }
  }

  public static void main(String[] args) {
    StepFunctionsEmulator emulator;
    try {
      emulator = start(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(emulator::close));
    System.out.println(
        "Step Functions emulator on " + emulator.endpoint() + " (AWS JSON 1.0 protocol)");
  }

  /**
   * Starts the emulator the command line asks for; with a data directory, resumes what was running
   * there.
   */
  static StepFunctionsEmulator start(String[] args) {
    Options options = Options.parse(args);
    StepFunctionsEmulator.Builder builder =
        StepFunctionsEmulator.builder()
            .port(options.port())
            .timeScale(options.timeScale())
            .stateDir(options.dataDir());
    if (options.lambdaEndpoint() != null) {
      builder.lambdas(new LambdaEndpoint(options.lambdaEndpoint()));
    }
    if (options.mockConfig() != null) {
      try {
        builder.mocks(MockConfig.read(options.mockConfig()));
      } catch (UncheckedIOException e) {
        throw new IllegalArgumentException(
            e.getMessage() + ": " + e.getCause().getMessage() + "\n" + usage(), e);
      }
    }
    StepFunctionsEmulator emulator = builder.start();
    int resumed = emulator.resumeAll();
    if (resumed > 0) {
      System.out.println(
          "resumed " + resumed + " executions that were running in " + options.dataDir());
    }
    return emulator;
  }

  public static String usage() {
    return "usage: sfn [--port 8083] [--time-scale 1] [--data-dir DIR] [--lambda-endpoint URL] [--mock-config FILE]"
        + "   (the Step Functions emulator alone)";
  }
}
