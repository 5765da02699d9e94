package io.stepwise.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "review",
    description = "The tasks held for a person's review: list them, approve or reject one.",
    subcommands = {
      ReviewCommand.ListReviews.class,
      ReviewCommand.Approve.class,
      ReviewCommand.Reject.class
    })
final class ReviewCommand implements Runnable {

  @ParentCommand Stepwise root;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "name a review command: list, approve or reject");
  }

  @Command(
      name = "list",
      description = "The tasks awaiting review that you may decide, oldest first.")
  static final class ListReviews implements Runnable {
    @ParentCommand ReviewCommand review;
    @Spec CommandSpec spec;

    @Option(names = "--pipeline", paramLabel = "NAME", description = "only this pipeline's tasks")
    String pipeline;

    @Option(names = "--limit", paramLabel = "N", description = "tasks per page")
    Integer limit;

    @Option(
        names = "--cursor",
        paramLabel = "CURSOR",
        description = "the next page (printed under a full page)")
    String cursor;

    @Override
    public void run() {
      StringBuilder query = new StringBuilder();
      ListCommand.append(query, "pipeline", pipeline);
      ListCommand.append(query, "limit", limit == null ? null : limit.toString());
      ListCommand.append(query, "cursor", cursor);
      Output.print(
          spec, review.root, review.root.client().get("/api/reviews" + query), Render::reviews);
    }
  }

  @Command(
      name = "approve",
      description = "Approve a task's review: it goes on with the output as reviewed (and edited).")
  static final class Approve implements Runnable {
    @ParentCommand ReviewCommand review;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TASK_ID")
    String taskId;

    @Option(names = "--comment", paramLabel = "TEXT", description = "why, or what you changed")
    String comment;

    @Override
    public void run() {
      review.decide(spec, taskId, "approve", comment, "approved");
    }
  }

  @Command(
      name = "reject",
      description = "Reject a task's review: it ends as rejected and nothing goes out.")
  static final class Reject implements Runnable {
    @ParentCommand ReviewCommand review;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TASK_ID")
    String taskId;

    @Option(names = "--comment", paramLabel = "TEXT", description = "why")
    String comment;

    @Override
    public void run() {
      review.decide(spec, taskId, "reject", comment, "rejected");
    }
  }

  /** One decision: a second one, or one on a task not awaiting review, is the API's 409. */
  private void decide(
      CommandSpec command, String taskId, String decision, String comment, String done) {
    ObjectNode body = Api.JSON.createObjectNode().put("decision", decision);
    if (comment != null) {
      body.put("comment", comment);
    }
    Output.print(
        command,
        root,
        root.client().post("/api/tasks/" + Api.encode(taskId) + "/review", body),
        (out, task) ->
            out.println(
                done
                    + " "
                    + task.path("taskId").asText()
                    + " ("
                    + task.path("status").asText()
                    + ")"));
  }
}
