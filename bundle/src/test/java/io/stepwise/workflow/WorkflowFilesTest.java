package io.stepwise.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepwise.model.Pipeline;
import io.stepwise.model.Pipelines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every installed pipeline's committed workflow file (its definition's {@code aslFile()}: {@code
 * statemachine.asl.json} for paper-digest, the others' beside their module, the fixture's in the
 * core's test resources) is exactly what {@link AslGenerator} makes of its definition with the
 * default retry policies. With {@code -Dstepwise.workflows.refresh=true} it rewrites them instead
 * ({@link AslGenerator#REFRESH_COMMAND}).
 */
class WorkflowFilesTest {

  @Test
  void everyCommittedWorkflow_isWhatItsDefinitionGenerates() throws IOException {
    Pipelines pipelines = Pipelines.installed();
    assertThat(pipelines.names()).contains("paper-digest", "research-report", "echo");
    boolean refresh = Boolean.getBoolean("stepwise.workflows.refresh");
    for (Pipeline pipeline : pipelines.all()) {
      String definition = pipelines.definition(pipeline.name()).getClass().getName();
      String generated = AslGenerator.generate(pipeline, definition);
      Path file = root().resolve(pipeline.aslFile());
      if (refresh) {
        Files.writeString(file, generated, StandardCharsets.UTF_8);
      }
      assertThat(Files.exists(file)).as(file + " is committed").isTrue();
      assertThat(Files.readString(file, StandardCharsets.UTF_8))
          .as(
              pipeline.aslFile()
                  + " differs from what "
                  + definition
                  + " generates: do not edit it by hand;"
                  + " refresh it with "
                  + AslGenerator.REFRESH_COMMAND)
          .isEqualTo(generated);
      assertThat(generated).contains("Generated from " + definition);
    }
  }

  private static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("pipelines"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }
}
