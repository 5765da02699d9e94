package io.stepwise.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "watch",
    description = {
      "Follow a task until it ends, with a progress bar per step.",
      "On a terminal one frame is redrawn in place, otherwise a line is printed per change (--json: each new state of "
          + "the task, one line each).",
      "Exit 0 when it succeeds, 1 when it fails, 5 when it is cancelled."
    })
final class WatchCommand implements Callable<Integer> {

  @ParentCommand Stepwise root;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "TASK_ID")
  String taskId;

  @Option(
      names = "--interval",
      paramLabel = "MS",
      defaultValue = "500",
      description = "poll interval (default ${DEFAULT-VALUE} ms)")
  long intervalMs;

  @Override
  public Integer call() {
    return new Watch(
            root.client(),
            spec.commandLine().getOut(),
            root.terminal(),
            root.json(),
            Duration.ofMillis(Math.max(50, intervalMs)))
        .follow(taskId);
  }
}
