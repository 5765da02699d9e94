package io.stepwise.sfnlocal;

/**
 * The Step Functions emulator alone ({@code java -jar stepwise-local.jar sfn --port 8083}): state machines whose
 * Task states use only the emulator's built-in states run as they are; Lambda tasks need the full runtime.
 */
public final class EmulatorMain {

  private EmulatorMain() {}

  public static void main(String[] args) {
    int port = 8083;
    double timeScale = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--time-scale" -> timeScale = Double.parseDouble(args[++i]);
        default -> {
          System.err.println("unknown option " + args[i] + "\n" + usage());
          System.exit(2);
        }
      }
    }
    StepFunctionsEmulator emulator = new StepFunctionsEmulator(port, new InProcessLambdas(), timeScale, event -> { });
    Runtime.getRuntime().addShutdownHook(new Thread(emulator::close));
    System.out.println("Step Functions emulator on " + emulator.endpoint() + " (AWS JSON 1.0 protocol)");
  }

  static String usage() {
    return "usage: sfn [--port 8083] [--time-scale 1]   (the Step Functions emulator alone)";
  }
}
