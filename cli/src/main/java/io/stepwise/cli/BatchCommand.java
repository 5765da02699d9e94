package io.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

@Command(
    name = "batch",
    description = "Start a batch of tasks, or see, steer and recover one.",
    subcommands = {
      BatchCommand.Start.class,
      BatchCommand.Get.class,
      BatchCommand.Failed.class,
      BatchCommand.RetryFailed.class,
      BatchCommand.Pause.class,
      BatchCommand.Resume.class,
      BatchCommand.Cancel.class
    })
final class BatchCommand implements Runnable {

  @ParentCommand Stepwise root;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "name a batch command: start, get, failed, retry-failed, pause, resume or cancel");
  }

  @Command(
      name = "start",
      description = {
        "Start a batch: N tasks of one input (--count) or a file of task bodies.",
        "--file takes a JSON array of task bodies ('-' reads stdin).",
        "--max-running N: at most N of its tasks run at once (the API's maxRunning).",
        "e.g. stepwise batch start paper-digest --count 5 --max-running 2 --maxPapers 2"
      })
  static final class Start implements Runnable {
    @ParentCommand BatchCommand batch;
    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "PIPELINE",
        description = "the pipeline of the tasks (with --file: of those naming none)")
    String pipeline;

    @Option(names = "--count", paramLabel = "N")
    Integer count;

    @Option(names = "--file", paramLabel = "FILE", description = "a JSON array of task bodies")
    Path file;

    @Option(
        names = "--max-running",
        paramLabel = "N",
        description = "at most N of the batch's tasks run at once (default: the API's)")
    Integer maxRunning;

    @Option(
        names = "--set",
        paramLabel = "FIELD=VALUE",
        description = "an input field of every task")
    List<String> sets = new ArrayList<>();

    @Unmatched List<String> fieldOptions = new ArrayList<>();

    @Override
    public void run() {
      Api api = batch.root.client();
      if ((count == null) == (file == null)) {
        throw new ParameterException(
            spec.commandLine(), "give exactly one of --count N or --file FILE");
      }
      ObjectNode body = Api.JSON.createObjectNode();
      if (file != null) {
        if (!sets.isEmpty() || !fieldOptions.isEmpty()) {
          throw new ParameterException(
              spec.commandLine(), "with --file each task body holds its own input fields");
        }
        body.set("tasks", tasks(spec, read(spec, file), pipeline));
      } else {
        ObjectNode task = Inputs.of(spec, api, pipeline, sets, fieldOptions);
        if (pipeline != null) {
          task.put("pipeline", pipeline);
        }
        body.put("count", count);
        body.set("task", task);
      }
      if (maxRunning != null) {
        body.put("maxRunning", maxRunning);
      }
      Output.print(
          spec,
          batch.root,
          api.post("/api/batches", body),
          (out, b) -> {
            out.println(
                "started batch "
                    + b.path("batchId").asText()
                    + " ("
                    + b.path("taskIds").size()
                    + " tasks)");
            b.path("taskIds").forEach(id -> out.println("  " + id.asText()));
          });
    }

    /**
     * The file's task bodies, each of {@code pipeline} unless it names its own; a body naming
     * another pipeline than the one given is refused (which of the two was meant?).
     */
    private static JsonNode tasks(CommandSpec spec, JsonNode tasks, String pipeline) {
      if (!tasks.isArray()) {
        throw new ParameterException(
            spec.commandLine(), "--file must hold a JSON array of task bodies");
      }
      for (int i = 0; i < tasks.size(); i++) {
        if (!(tasks.get(i) instanceof ObjectNode task)) {
          throw new ParameterException(
              spec.commandLine(), "--file: task " + i + " is not a JSON object");
        }
        if (pipeline == null) {
          continue;
        }
        if (!task.has("pipeline")) {
          task.put("pipeline", pipeline);
        } else if (!task.path("pipeline").asText().equals(pipeline)) {
          throw new ParameterException(
              spec.commandLine(),
              "--file: task "
                  + i
                  + " names pipeline "
                  + task.path("pipeline")
                  + ", not "
                  + pipeline
                  + " (leave PIPELINE out to keep each task's own)");
        }
      }
      return tasks;
    }

    private static JsonNode read(CommandSpec spec, Path file) {
      try {
        String text =
            file.toString().equals("-")
                ? new String(System.in.readAllBytes())
                : Files.readString(file);
        return Api.JSON.readTree(text);
      } catch (IOException e) {
        throw new ParameterException(spec.commandLine(), "--file " + file + ": " + e.getMessage());
      }
    }
  }

  @Command(name = "get", description = "A batch's tasks counted by status.")
  static final class Get implements Runnable {
    @ParentCommand BatchCommand batch;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "BATCH_ID")
    String batchId;

    @Override
    public void run() {
      Output.print(
          spec,
          batch.root,
          batch.root.client().get("/api/batches/" + Api.encode(batchId)),
          Render::batch);
    }
  }

  @Command(name = "failed", description = "A batch's failed tasks.")
  static final class Failed implements Runnable {
    @ParentCommand BatchCommand batch;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "BATCH_ID")
    String batchId;

    @Override
    public void run() {
      Output.print(
          spec,
          batch.root,
          batch.root.client().get("/api/batches/" + Api.encode(batchId) + "/failed"),
          Render::page);
    }
  }

  @Command(
      name = "retry-failed",
      description = "Retry every failed task of a batch from its failed step.")
  static final class RetryFailed implements Runnable {
    @ParentCommand BatchCommand batch;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "BATCH_ID")
    String batchId;

    @Override
    public void run() {
      Output.print(
          spec,
          batch.root,
          batch.root.client().post("/api/batches/" + Api.encode(batchId) + "/retry-failed", null),
          (out, r) -> {
            out.println(
                "retried " + r.path("retried").size() + ", skipped " + r.path("skipped").size());
            r.path("retried").forEach(id -> out.println("  retried " + id.asText()));
            r.path("skipped")
                .forEach(
                    s ->
                        out.println(
                            "  skipped "
                                + s.path("taskId").asText()
                                + ": "
                                + s.path("reason").asText()));
          });
    }
  }

  /** pause, resume and cancel: a POST to the batch's route of that name. */
  abstract static class Steer implements Runnable {
    @ParentCommand BatchCommand batch;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "BATCH_ID")
    String batchId;

    abstract String action();

    @Override
    public void run() {
      Output.print(
          spec,
          batch.root,
          batch.root.client().post("/api/batches/" + Api.encode(batchId) + "/" + action(), null),
          (out, b) -> {
            if (b.has("cancelled")) {
              out.println("cancelled " + b.path("cancelled").size() + " tasks");
              Render.batch(out, b.path("batch"));
            } else {
              Render.batch(out, b);
            }
          });
    }
  }

  @Command(
      name = "pause",
      description = "Pause a batch: none of its tasks starts until resumed; running ones finish.")
  static final class Pause extends Steer {
    @Override
    String action() {
      return "pause";
    }
  }

  @Command(name = "resume", description = "Resume a paused batch: its pending tasks start again.")
  static final class Resume extends Steer {
    @Override
    String action() {
      return "resume";
    }
  }

  @Command(
      name = "cancel",
      description =
          "Cancel a batch: nothing more starts, its pending and running tasks are cancelled.")
  static final class Cancel extends Steer {
    @Override
    String action() {
      return "cancel";
    }
  }
}
