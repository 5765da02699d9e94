package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runtime's one order: command line > environment > system properties > --config file >
 * defaults.
 */
class LocalPropertiesTest {

  private static final String KEY = "stepwise.publish.mcp.url";
  private static final String VARIABLE = "STEPWISE_PUBLISH_MCP_URL";

  private static Object winner(
      Map<String, Object> file,
      Map<String, String> system,
      Map<String, String> env,
      Map<String, Object> flags) {
    return LocalProperties.layered(Map.of(KEY, "default"), file, system, env, flags).get(KEY);
  }

  @Test
  void eachLayerWinsOverTheOnesBelowIt() {
    Map<String, Object> file = Map.of(KEY, "file");
    Map<String, String> system = Map.of(KEY, "system");
    Map<String, String> env = Map.of(VARIABLE, "env");
    Map<String, Object> flags = Map.of(KEY, "flag");

    assertThat(winner(Map.of(), Map.of(), Map.of(), Map.of())).isEqualTo("default");
    assertThat(winner(file, Map.of(), Map.of(), Map.of())).isEqualTo("file");
    assertThat(winner(file, system, Map.of(), Map.of())).isEqualTo("system");
    assertThat(winner(file, system, env, Map.of()))
        .as("environment over -D, unlike Micronaut's own order")
        .isEqualTo("env");
    assertThat(winner(file, system, env, flags)).isEqualTo("flag");
  }

  @Test
  void
      theEnvironmentSetsAKeyOnlyAFileOrSystemPropertyNamed_andOnlyStepwiseAndMicronautSystemPropertiesCount() {
    Map<String, Object> merged =
        LocalProperties.layered(
            Map.of(),
            Map.of("stepwise.models.my-model.base-url", "file"),
            Map.of("stepwise.routing.primary", "system", "java.version", "17", "aws.region", "x"),
            Map.of(
                "STEPWISE_MODELS_MY_MODEL_BASE_URL",
                "env",
                "STEPWISE_ROUTING_PRIMARY",
                "env-model"),
            Map.of());
    assertThat(merged)
        .containsEntry("stepwise.models.my-model.base-url", "env")
        .containsEntry("stepwise.routing.primary", "env-model")
        .doesNotContainKeys("java.version", "aws.region");
  }

  @Test
  void aYamlConfigFile_isReadAsFlatProperties(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mine.yml");
    Files.writeString(
        file, "stepwise:\n  publish:\n    mcp:\n      url: https://mcp.example.invalid/mcp\n");
    assertThat(LocalProperties.read(file)).containsEntry(KEY, "https://mcp.example.invalid/mcp");
    assertThat(LocalProperties.variableFor("stepwise.models.local-gpt.base-url"))
        .isEqualTo("STEPWISE_MODELS_LOCAL_GPT_BASE_URL");
  }
}
