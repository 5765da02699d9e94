package io.stepwise.kit.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySourcePropertyResolver;
import io.micronaut.context.exceptions.ConfigurationException;
import io.stepwise.models.CallPolicy;
import io.stepwise.models.RoutingStrategy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One step's model settings: its defaults, the keys that change them, and the values refused. */
class ModelStepSettingsTest {

  private static final String PREFIX = "stepwise.pipelines.research-report.steps.write_report";
  private static final ModelStepSettings DEFAULTS =
      ModelStepSettings.defaults(4000, 4800, 0).withContinuations(3);

  private static ModelStepSettings read(Map<String, Object> properties) {
    return DEFAULTS.read(
        new PropertySourcePropertyResolver(PropertySource.of("test", properties)), PREFIX);
  }

  @Test
  void unset_keepsTheStepsDefaults_onThePlatformsChainStrategyAndTimeout() {
    CallPolicy policy = read(Map.of()).policy();
    assertThat(policy.maxTokens()).isEqualTo(4000);
    assertThat(policy.continuations()).isEqualTo(3);
    assertThat(policy.attempts()).isEqualTo(3);
    assertThat(policy.chain()).isEmpty();
    assertThat(policy.timeout()).isNull();
    assertThat(policy.strategy()).isEqualTo(RoutingStrategy.SCORE);
  }

  @Test
  void aStepsKeys_setItsOwnChainStrategyTimeoutAndTactics() {
    ModelStepSettings read =
        read(
            Map.of(
                PREFIX + ".primary", "claude",
                PREFIX + ".fallbacks", List.of("openai", "local"),
                PREFIX + ".strategy", "least-busy",
                PREFIX + ".timeout", "3m",
                PREFIX + ".max-tokens", "6000",
                PREFIX + ".attempts", "2",
                PREFIX + ".backup", "openai"));
    CallPolicy policy = read.policy();
    assertThat(policy.chain()).containsExactly("claude", "openai", "local");
    assertThat(policy.strategy()).isEqualTo(RoutingStrategy.LEAST_BUSY);
    assertThat(policy.timeout()).isEqualTo(Duration.ofMinutes(3));
    assertThat(policy.maxTokens()).isEqualTo(6000);
    assertThat(policy.maxTokensCap()).as("never under max-tokens").isEqualTo(6000);
    assertThat(policy.attempts()).isEqualTo(2);
    assertThat(policy.backup()).isEqualTo("openai");
    assertThat(read.withMinChars(2000).policy().minChars()).isEqualTo(2000);
  }

  @Test
  void aCommaSeparatedFallbackList_asAnEnvironmentVariableGivesIt_isOneChain() {
    ModelStepSettings read = read(Map.of(PREFIX + ".primary", "a", PREFIX + ".fallbacks", "b, c"));
    assertThat(read.chain()).containsExactly("a", "b", "c");
  }

  @Test
  void valuesOutOfRange_areRefused_namingTheKeyAndTheRange() {
    assertThatThrownBy(() -> read(Map.of(PREFIX + ".attempts", "0")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(PREFIX + ".attempts must be a whole number from 1 to 10, was 0");
    assertThatThrownBy(() -> read(Map.of(PREFIX + ".max-tokens", "lots")))
        .hasMessageContaining(PREFIX + ".max-tokens must be a whole number");
    assertThatThrownBy(() -> read(Map.of(PREFIX + ".timeout", "soon")))
        .hasMessageContaining(PREFIX + ".timeout must be a positive duration");
    assertThatThrownBy(() -> read(Map.of(PREFIX + ".strategy", "fastest")))
        .hasMessageContaining(PREFIX + ".strategy");
    assertThatThrownBy(() -> read(Map.of(PREFIX + ".fallbacks", "b")))
        .hasMessageContaining(PREFIX + ".fallbacks needs " + PREFIX + ".primary");
  }
}
