package io.stepwise.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The deployed workflow is the repository's statemachine.asl.json, only with the alias ARNs filled in. */
class DeployedDefinitionTest {

  @Test
  void inlineDefinition_equalsTheRepositoryFileAfterSubstitution() throws Exception {
    SynthesizedStack synth = SynthesizedStack.defaults();
    JsonNode machine = synth.properties(synth.ofType("AWS::StepFunctions::StateMachine").get(0));
    JsonNode inline = machine.path("DefinitionString");
    assertThat(inline.isTextual()).as("DefinitionString is one inline string, not a join or an S3 location")
        .isTrue();

    // What Step Functions will run: the template's text with its substitutions applied. A Ref to an alias is
    // the alias ARN at deploy time; here it stands as a marker naming the alias resource.
    Map<String, String> templateValues = new HashMap<>();
    machine.path("DefinitionSubstitutions").fields()
        .forEachRemaining(e -> templateValues.put(e.getKey(), "alias:" + e.getValue().path("Ref").asText()));
    WorkflowDefinition deployed = WorkflowDefinition.fromText(inline.asText());
    String deployedJson = deployed.substitute(templateValues);

    // What the repository says: the file, each placeholder replaced by the live alias of the function whose
    // handler its Task state names.
    String file = Files.readString(Path.of(StackConfig.DEFAULT_DEFINITION));
    Map<String, String> expectedValues = new HashMap<>();
    for (Handler handler : Handler.invokedByStateMachine()) {
      expectedValues.put(handler.placeholder().orElseThrow(), "alias:" + synth.liveAlias(handler));
    }
    String expectedJson = WorkflowDefinition.fromText(file).substitute(expectedValues);

    assertThat(inline.asText()).isEqualTo(file);
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(deployedJson)).isEqualTo(json.readTree(expectedJson));
    assertThat(deployedJson).doesNotContain("${");
  }
}
