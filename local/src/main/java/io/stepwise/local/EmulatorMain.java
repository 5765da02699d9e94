package io.stepwise.local;

import io.stepwise.local.sfn.InProcessLambdas;
import io.stepwise.local.sfn.StepFunctionsEmulator;

/**
 * The Step Functions emulator alone ({@code java -jar stepwise-local.jar sfn --port 8083}): state machines whose
 * Task states use only the emulator's built-in states run as they are; Lambda tasks need the full runtime.
 */
final class EmulatorMain {

  private EmulatorMain() {}

  static void main(String[] args) {
    int port = 8083;
    double timeScale = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--time-scale" -> timeScale = Double.parseDouble(args[++i]);
        default -> {
          System.err.println("unknown option " + args[i] + "\n" + Options.usage());
          System.exit(2);
        }
      }
    }
    StepFunctionsEmulator emulator = new StepFunctionsEmulator(port, new InProcessLambdas(), timeScale, event -> { });
    Runtime.getRuntime().addShutdownHook(new Thread(emulator::close));
    System.out.println("Step Functions emulator on " + emulator.endpoint() + " (AWS JSON 1.0 protocol)");
  }
}
