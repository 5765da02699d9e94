package io.stepwise.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "usage",
    description = "Each model's calls, failures, tokens, cost and latency over a window.")
final class UsageCommand implements Runnable {

  @ParentCommand Stepwise root;
  @Spec CommandSpec spec;

  @Option(
      names = "--window",
      defaultValue = "24h",
      description = "1h, 24h or 7d (default: ${DEFAULT-VALUE})")
  String window;

  @Option(names = "--pipeline", description = "one pipeline's calls only")
  String pipeline;

  @Override
  public void run() {
    String query =
        "?window="
            + Api.encode(window)
            + (pipeline == null ? "" : "&pipeline=" + Api.encode(pipeline));
    Output.print(spec, root, root.client().get("/api/models/usage" + query), Render::usage);
  }
}
