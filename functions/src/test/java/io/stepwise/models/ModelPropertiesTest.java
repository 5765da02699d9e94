package io.stepwise.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelPropertiesTest {

  private static ModelProperties props() {
    ModelProperties p = new ModelProperties("m");
    p.setBaseUrl("https://api.example.com/v1/");
    p.setModel("x");
    return p;
  }

  @Test
  void defaults_probeByListing_weightOne_enabled() {
    ModelSpec spec = props().toSpec();
    assertThat(spec.probe()).isEqualTo(ProbeKind.MODELS_LIST);
    assertThat(spec.weight()).isEqualTo(1.0);
    assertThat(spec.enabled()).isTrue();
    assertThat(spec.baseUrl()).isEqualTo("https://api.example.com/v1");
  }

  @Test
  void aKeyNamedTwice_orABadWeightOrProbe_isRejectedAtStartup() {
    ModelProperties both = props();
    both.setApiKeyEnv("OPENAI_API_KEY");
    both.setApiKeySecret("prod/openai");
    assertThatThrownBy(both::toSpec).hasMessageContaining("not both");

    ModelProperties weightless = props();
    weightless.setWeight(0);
    assertThatThrownBy(weightless::toSpec).hasMessageContaining("positive weight");

    ModelProperties probe = props();
    probe.setProbe("ping");
    assertThatThrownBy(probe::toSpec).hasMessageContaining("models-list or completion");
  }

  @Test
  void requestOptions_presetThenOverrides_andShapesTheFamilyRefusesFailAtStartup() {
    ModelProperties reasoning = props();
    reasoning.setRequest(
        Map.of("preset", "openai-reasoning", "extra-body", Map.of("reasoning_effort", "low")));
    RequestOptions o = reasoning.toSpec().request();
    assertThat(o.systemRole()).isEqualTo(RequestOptions.SystemRole.DEVELOPER);
    assertThat(o.tokenParameter()).isEqualTo("max_completion_tokens");
    assertThat(o.temperature()).isFalse();
    assertThat(o.extraBody()).containsEntry("reasoning_effort", "low");
    assertThat(props().toSpec().request()).isEqualTo(RequestOptions.DEFAULT);

    ModelProperties hot = props();
    hot.setRequest(Map.of("preset", "openai-reasoning", "temperature", "true"));
    assertThatThrownBy(hot::toSpec)
        .hasMessageContaining("model m request: openai-reasoning models refuse temperature");

    ModelProperties both = props();
    both.setProvider("anthropic");
    both.setRequest(Map.of("preset", "anthropic-current", "top-p", "0.9"));
    assertThatThrownBy(both::toSpec).hasMessageContaining("temperature or top-p, not both");

    ModelProperties developer = props();
    developer.setProvider("anthropic");
    developer.setRequest(Map.of("system-role", "developer"));
    assertThatThrownBy(developer::toSpec).hasMessageContaining("Anthropic messages API");

    ModelProperties unknown = props();
    unknown.setRequest(Map.of("preset", "gpt-9"));
    assertThatThrownBy(unknown::toSpec)
        .hasMessageContaining("preset must be default, openai-reasoning or anthropic-current");
  }
}
