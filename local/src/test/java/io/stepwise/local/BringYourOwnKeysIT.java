package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code --real-models --config FILE}: a user's own model configuration on top of
 * application.properties. A key variable left unset is named at start, fails the model's calls as
 * {@code key_unavailable} (not "failed: null") and shows in its health as {@code key_unavailable};
 * the file's other settings apply.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BringYourOwnKeysIT {

  private static final String VARIABLE = "STEPWISE_TEST_BYOK_UNSET_KEY";

  private LocalRuntime runtime;

  @BeforeAll
  void start() throws Exception {
    Path config = Files.createTempFile("stepwise-byok", ".yml");
    Files.writeString(
        config,
        """
        stepwise:
          publish:
            title-prefix: "BYOK "
          routing:
            primary: mine
            fallbacks: []
          models:
            openai:
              enabled: false
            mine:
              provider: openai-compatible
              base-url: http://127.0.0.1:9/v1
              model: my-model
              api-key-env: %s
        """
            .formatted(VARIABLE));
    runtime =
        LocalRuntime.start(
            new Options(0, 0, 0, 0.001, null, true, null, null, false, false, config, false));
  }

  @AfterAll
  void stop() {
    runtime.close();
  }

  @Test
  void anUnsetKey_isNamedAtStart_failsTheCallAsKeyUnavailable_andShowsInHealth() throws Exception {
    assertThat(runtime.banner())
        .contains("! key_unavailable: set " + VARIABLE + " (the API key of model mine)");

    String id =
        LocalApi.send(runtime.api(), "POST", "/api/tasks", "{\"maxPapers\":1}")
            .path("taskId")
            .asText();
    JsonNode failed = LocalApi.awaitStatus(runtime.api(), id, "failed");
    assertThat(failed.path("failedStep").asText()).isEqualTo("analyze");
    assertThat(failed.path("error").path("message").asText())
        .contains("key_unavailable: set " + VARIABLE);

    JsonNode health = LocalApi.send(runtime.api(), "POST", "/api/models/health/check", null);
    JsonNode mine = null;
    for (JsonNode m : health.path("models")) {
      if (m.path("name").asText().equals("mine")) {
        mine = m;
      }
    }
    assertThat(mine).as("model mine in %s", health).isNotNull();
    assertThat(mine.path("error").path("code").asText()).isEqualTo("key_unavailable");
    assertThat(mine.path("status").asText())
        .as("no key set is not a passing trouble: unhealthy, not degraded")
        .isEqualTo("unhealthy");
  }

  @Test
  void theConfigFile_appliesOnTopOfTheDefaults() {
    assertThat(runtime.context().getProperty("stepwise.publish.title-prefix", String.class))
        .contains("BYOK ");
    assertThat(
            runtime.context().getProperty("stepwise.sources.arxiv-url", String.class).orElseThrow())
        .as("without --real-sources the papers stay local")
        .startsWith("http://127.0.0.1:");
  }
}
