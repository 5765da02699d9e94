package io.stepwise.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "retry",
    description = {
      "Retry a task from its failed step, or rerun it from any step (--from).",
      "--set changes input fields that step and later ones read (a rerun)."
    })
final class RetryCommand implements Runnable {

  @ParentCommand Stepwise root;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "TASK_ID")
  String taskId;

  @Option(
      names = "--from",
      paramLabel = "STEP",
      description = "the step to start from (default: the failed step)")
  String from;

  @Option(
      names = "--set",
      paramLabel = "FIELD=VALUE",
      description = "an input override (dotted paths nest)")
  List<String> sets = new ArrayList<>();

  @Override
  public void run() {
    Api api = root.client();
    String path =
        "/api/tasks/"
            + Api.encode(taskId)
            + "/retry"
            + (from == null ? "" : "/" + Api.encode(from));
    ObjectNode body = null;
    if (!sets.isEmpty()) {
      String pipeline =
          api.get("/api/tasks/" + Api.encode(taskId)).json().path("pipeline").asText();
      body = Api.JSON.createObjectNode();
      body.set("overrides", Inputs.of(spec, api, pipeline, sets, List.of()));
    }
    Output.print(
        spec,
        root,
        api.post(path, body),
        (out, task) -> {
          var runs = task.path("runs");
          out.println(
              "retrying "
                  + task.path("taskId").asText()
                  + " from "
                  + runs.get(runs.size() - 1).path("startAt").asText()
                  + " (run "
                  + runs.get(runs.size() - 1).path("runId").asText()
                  + ")");
        });
  }
}
