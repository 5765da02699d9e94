package io.stepwise.kit.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySourcePropertyResolver;
import io.micronaut.context.exceptions.ConfigurationException;
import io.stepwise.models.ModelCatalog;
import io.stepwise.models.ModelProperties;
import io.stepwise.models.RoutingStrategy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A step's settings as a pipeline asks for them: the platform's strategy, known models only. */
class StepModelsTest {

  private static final ModelStepSettings DEFAULTS = ModelStepSettings.defaults(1200, 4800, 40);

  private static StepModels models(Map<String, Object> properties) {
    ModelProperties openai = new ModelProperties("openai");
    openai.setBaseUrl("http://127.0.0.1:9/v1");
    openai.setModel("gpt-4o-mini");
    return new StepModels(
        new PropertySourcePropertyResolver(PropertySource.of("test", properties)),
        new ModelCatalog(List.of(openai)),
        "latency");
  }

  @Test
  void aStepWithoutAStrategy_usesThePlatforms() {
    assertThat(models(Map.of()).settings("p", "s", DEFAULTS).policy().strategy())
        .isEqualTo(RoutingStrategy.LATENCY);
    assertThat(
            models(Map.of("stepwise.pipelines.p.steps.s.strategy", "cost"))
                .settings("p", "s", DEFAULTS)
                .policy()
                .strategy())
        .isEqualTo(RoutingStrategy.COST);
  }

  @Test
  void aModelTheCatalogueDoesNotList_stopsTheStart_namingTheKey() {
    assertThatThrownBy(
            () ->
                models(Map.of("stepwise.pipelines.p.steps.s.primary", "gpt-9"))
                    .settings("p", "s", DEFAULTS))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(
            "stepwise.pipelines.p.steps.s.primary/fallbacks names unknown model gpt-9");
    assertThatThrownBy(
            () ->
                models(Map.of("stepwise.pipelines.p.steps.s.backup", "claude"))
                    .settings("p", "s", DEFAULTS))
        .hasMessageContaining("stepwise.pipelines.p.steps.s.backup names unknown model claude");
  }
}
