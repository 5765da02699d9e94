package io.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "edit",
    description = {
      "Replace a step's whole output: while the task awaits review of that step (the next step",
      "reads the edit), or on a finished task (then: stepwise retry ID --from NEXT_STEP).",
      "The current output: GET /api/tasks/ID/checkpoint, at .steps.STEP.output.",
      "A refused edit (422) prints every rule it broke, one a line, and exits 3.",
      "e.g. stepwise edit ID build_payload --file output.json"
    })
final class EditCommand implements Runnable {

  @ParentCommand Stepwise root;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TASK_ID")
  String taskId;

  @Parameters(index = "1", paramLabel = "STEP", description = "e.g. build_payload")
  String step;

  @Option(
      names = "--file",
      required = true,
      paramLabel = "FILE",
      description = "the step's whole new output as JSON ('-' reads stdin)")
  String file;

  @Override
  public void run() {
    JsonNode output;
    try {
      String text =
          file.equals("-")
              ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
              : Files.readString(Path.of(file));
      output = Api.JSON.readTree(text);
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(), "--file " + file + " is not readable JSON: " + e.getMessage());
    }
    if (output == null || !output.isObject()) {
      throw new ParameterException(
          spec.commandLine(), "--file " + file + " must hold one JSON object: the step's output");
    }
    Output.print(
        spec,
        root,
        root.client()
            .put(
                "/api/tasks/" + Api.encode(taskId) + "/steps/" + Api.encode(step) + "/output",
                output),
        (out, stored) -> {
          JsonNode edits = stored.path("edits");
          JsonNode last = edits.isArray() && edits.size() > 0 ? edits.get(edits.size() - 1) : null;
          out.println(
              "edited "
                  + step
                  + " of "
                  + taskId
                  + (last == null || Render.text(last, "by") == null
                      ? ""
                      : " (by " + Render.text(last, "by") + ")")
                  + "; "
                  + edits.size()
                  + (edits.size() == 1 ? " edit" : " edits")
                  + ", the original stays under run "
                  + stored.path("runId").asText());
        });
  }
}
