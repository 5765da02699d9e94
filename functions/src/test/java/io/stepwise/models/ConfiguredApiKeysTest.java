package io.stepwise.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepwise.steps.errors.TerminalStepException;
import org.junit.jupiter.api.Test;

/**
 * A key variable that is named but not set fails the call before any request, saying which variable
 * to set.
 */
class ConfiguredApiKeysTest {

  private final ConfiguredApiKeys keys = new ConfiguredApiKeys(null);

  private static ModelSpec model(String keyVariable) {
    return new ModelSpec(
        "mine",
        Provider.OPENAI_COMPATIBLE,
        "https://models.example/v1",
        "m-1",
        keyVariable,
        1,
        0,
        true);
  }

  @Test
  void anUnsetKeyVariable_isKeyUnavailableNamingIt() {
    assertThatThrownBy(() -> keys.keyFor(model("STEPWISE_TEST_UNSET_KEY_4711")))
        .isInstanceOf(TerminalStepException.class)
        .hasMessage(
            "key_unavailable: set STEPWISE_TEST_UNSET_KEY_4711 (the API key of model mine)");
    assertThat(ConfiguredApiKeys.keyMissing(model("STEPWISE_TEST_UNSET_KEY_4711"))).isTrue();
  }

  @Test
  void aSetVariable_isTheKey_andNoVariableMeansNoKey() {
    System.setProperty("STEPWISE_TEST_SET_KEY_4711", "sk-test-configured-1234");
    try {
      assertThat(keys.keyFor(model("STEPWISE_TEST_SET_KEY_4711")))
          .contains("sk-test-configured-1234");
      assertThat(ConfiguredApiKeys.keyMissing(model("STEPWISE_TEST_SET_KEY_4711"))).isFalse();
    } finally {
      System.clearProperty("STEPWISE_TEST_SET_KEY_4711");
    }
    assertThat(keys.keyFor(model(null))).isEmpty();
  }
}
