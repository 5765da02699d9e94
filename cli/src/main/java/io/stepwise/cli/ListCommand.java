package io.stepwise.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "list", description = "List tasks, newest first.")
final class ListCommand implements Runnable {

  @ParentCommand Stepwise root;
  @Spec CommandSpec spec;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      description = "pending, running, awaiting_review, succeeded, failed, cancelled or rejected")
  String status;

  @Option(
      names = "--pipeline",
      paramLabel = "NAME",
      description = "only this pipeline's tasks (e.g. research-report)")
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
    append(query, "status", status);
    append(query, "pipeline", pipeline);
    append(query, "limit", limit == null ? null : limit.toString());
    append(query, "cursor", cursor);
    Output.print(spec, root, root.client().get("/api/tasks" + query), Render::page);
  }

  static void append(StringBuilder query, String name, String value) {
    if (value != null) {
      query
          .append(query.length() == 0 ? '?' : '&')
          .append(name)
          .append('=')
          .append(Api.encode(value));
    }
  }
}
