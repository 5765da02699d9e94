package io.stepwise.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "cancel",
    description = "Cancel a pending or running task (no step starts after the answer).")
final class CancelCommand implements Runnable {

  @ParentCommand Stepwise root;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "TASK_ID")
  String taskId;

  @Override
  public void run() {
    Output.print(
        spec,
        root,
        root.client().post("/api/tasks/" + Api.encode(taskId) + "/cancel", null),
        (out, task) ->
            out.println(
                "cancelled "
                    + task.path("taskId").asText()
                    + " ("
                    + task.path("status").asText()
                    + ")"));
  }
}
