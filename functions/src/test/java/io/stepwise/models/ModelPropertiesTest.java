package io.stepwise.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
