package io.stepwise.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

@Command(
    name = "start",
    description = {
      "Start a task of a pipeline; its input fields as options.",
      "e.g. stepwise start paper-digest --maxPapers 2 --language en --set query.days=3"
    })
final class StartCommand implements Callable<Integer> {

  @ParentCommand Stepwise root;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "PIPELINE",
      description = "e.g. paper-digest, research-report")
  String pipeline;

  @Option(
      names = "--set",
      paramLabel = "FIELD=VALUE",
      description = "an input field (dotted paths nest)")
  List<String> sets = new ArrayList<>();

  @Option(
      names = "--idempotency-key",
      paramLabel = "KEY",
      description = "the same key starts one task only")
  String idempotencyKey;

  @Option(names = "--watch", description = "watch the task until it ends (exit codes as watch)")
  boolean watch;

  @Option(
      names = "--review",
      negatable = true,
      description =
          "hold the task for a person's review before it publishes or delivers"
              + " (--no-review: not even if the pipeline's default says so)")
  Boolean review;

  @Unmatched List<String> fieldOptions = new ArrayList<>();

  @Override
  public Integer call() {
    Api api = root.client();
    ObjectNode body = Inputs.of(spec, api, pipeline, sets, fieldOptions);
    body.put("pipeline", pipeline);
    if (review != null) {
      body.put("review", review);
    }
    Api.Answer answer = api.send("POST", "/api/tasks", body, idempotencyKey);
    String taskId = answer.json().path("taskId").asText();
    if (watch) {
      return new Watch(
              api,
              spec.commandLine().getOut(),
              root.terminal(),
              root.json(),
              Duration.ofMillis(500))
          .follow(taskId);
    }
    Output.print(
        spec,
        root,
        answer,
        (out, task) ->
            out.println(
                "started "
                    + taskId
                    + " ("
                    + task.path("pipeline").asText()
                    + ", "
                    + task.path("status").asText()
                    + ")"));
    return 0;
  }
}
