package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The precedence end to end: a {@code -D} system property now redirects the running local runtime
 * (its own map used to win), and wins over the {@code --config} file, which wins over the runtime's
 * local defaults.
 */
class ConfigPrecedenceIT {

  @Test
  void aSystemPropertyWinsOverTheConfigFile_whichWinsOverTheLocalDefaults() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "config-precedence"));
    Path file = dir.resolve("mine.yml");
    Files.writeString(
        file,
        "stepwise:\n  pipelines:\n    paper-digest:\n      defaults:\n        publish-target: webhook\n  routing:\n    primary: local-claude\n");
    Options options =
        Options.parse(
            new String[] {
              "--port", "0", "--sfn-port", "0", "--dynamo-port", "0", "--config", file.toString()
            },
            Map.of());
    System.setProperty("stepwise.pipelines.paper-digest.defaults.publish-target", "none");
    try (LocalRuntime runtime = LocalRuntime.start(options)) {
      assertThat(
              runtime
                  .context()
                  .getProperty(
                      "stepwise.pipelines.paper-digest.defaults.publish-target", String.class))
          .as("-D over the file")
          .contains("none");
      assertThat(runtime.context().getProperty("stepwise.routing.primary", String.class))
          .as("the file over the local default")
          .contains("local-claude");
      assertThat(runtime.context().getProperty("stepwise.routing.fallbacks", String.class))
          .as("the local default")
          .contains("local-claude");
    } finally {
      System.clearProperty("stepwise.pipelines.paper-digest.defaults.publish-target");
    }
  }
}
