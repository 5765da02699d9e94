package io.stepwise.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "health", description = "The model providers' health as last checked.")
final class HealthCommand implements Runnable {

  @ParentCommand Stepwise root;
  @Spec CommandSpec spec;

  @Option(
      names = "--check",
      description = "probe every model now instead of showing the last check")
  boolean check;

  @Override
  public void run() {
    Api api = root.client();
    Output.print(
        spec,
        root,
        check ? api.post("/api/models/health/check", null) : api.get("/api/models/health"),
        Render::health);
  }
}
