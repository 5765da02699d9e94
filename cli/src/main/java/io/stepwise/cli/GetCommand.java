package io.stepwise.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "get", description = "Show one task: status, steps (with progress), error, runs.")
final class GetCommand implements Runnable {

  @ParentCommand Stepwise root;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "TASK_ID")
  String taskId;

  @Override
  public void run() {
    Output.print(spec, root, root.client().get("/api/tasks/" + Api.encode(taskId)), Render::task);
  }
}
