package io.stepwise.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.catalog.Handler;
import io.stepwise.model.Pipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each deployed workflow is the repository's ASL file of its pipeline (generated from its
 * definition and committed), only with the alias ARNs filled in.
 */
class DeployedDefinitionTest {

  /** Where each pipeline's generated workflow is committed (its definition's {@code aslFile()}). */
  private static final Path REPOSITORY_ROOT = Path.of("..");

  @Test
  void theDigest_deploysTheTopLevelStatemachineFile() {
    Pipeline digest =
        SynthesizedStack.defaults().catalogue().pipelines().stream()
            .filter(p -> p.name().equals("paper-digest"))
            .findFirst()
            .orElseThrow();
    assertThat(digest.aslFile()).isEqualTo("statemachine.asl.json");
  }

  @Test
  void inlineDefinition_equalsTheRepositoryFileAfterSubstitution() throws Exception {
    SynthesizedStack synth = SynthesizedStack.defaults();
    Map<String, String> machines = synth.stateMachinesByPipeline();
    assertThat(machines.keySet())
        .containsExactlyInAnyOrderElementsOf(
            synth.catalogue().pipelines().stream().map(Pipeline::name).toList());
    for (Pipeline pipeline : synth.catalogue().pipelines()) {
      String file = Files.readString(REPOSITORY_ROOT.resolve(pipeline.aslFile()));
      assertDeployed(synth, pipeline, machines.get(pipeline.name()), file);
    }
  }

  /**
   * The state machine's inline text is the file, and with its substitutions applied is the file's
   * workflow.
   */
  static void assertDeployed(
      SynthesizedStack synth, Pipeline pipeline, String machineId, String file) throws Exception {
    JsonNode machine = synth.properties(machineId);
    JsonNode inline = machine.path("DefinitionString");
    assertThat(inline.isTextual())
        .as(
            "%s: DefinitionString is one inline string, not a join or an S3 location",
            pipeline.name())
        .isTrue();

    // What Step Functions will run: the template's text with its substitutions applied. A Ref to an
    // alias is
    // the alias ARN at deploy time; here it stands as a marker naming the alias resource.
    Map<String, String> templateValues = new HashMap<>();
    machine
        .path("DefinitionSubstitutions")
        .fields()
        .forEachRemaining(
            e -> templateValues.put(e.getKey(), "alias:" + e.getValue().path("Ref").asText()));
    WorkflowDefinition deployed = WorkflowDefinition.fromText(inline.asText());
    String deployedJson = deployed.substitute(templateValues);

    // What the repository says: the file, each placeholder replaced by the live alias of the
    // function whose
    // handler its Task state names.
    Map<String, String> expectedValues = new HashMap<>();
    for (Handler handler : synth.catalogue().handlers().invokedBy(pipeline.name())) {
      expectedValues.put(handler.placeholder().orElseThrow(), "alias:" + synth.liveAlias(handler));
    }
    String expectedJson = WorkflowDefinition.fromText(file).substitute(expectedValues);

    assertThat(inline.asText()).as(pipeline.name()).isEqualTo(file);
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(deployedJson))
        .as(pipeline.name())
        .isEqualTo(json.readTree(expectedJson));
    assertThat(deployedJson).as(pipeline.name()).doesNotContain("${");
  }
}
