package io.stepwise.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.stepwise.model.Pipelines;
import io.stepwise.model.RetryPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pipelines bean applies configured retry policies, refuses invalid ones and keys that have
 * moved.
 */
class PipelinesFactoryTest {

  private static Pipelines pipelines(Map<String, Object> properties) {
    try (ApplicationContext context =
        ApplicationContext.builder().environments("test").properties(properties).start()) {
      return new PipelinesFactory().pipelines(context.getEnvironment());
    }
  }

  @Test
  void aConfiguredRetryPolicy_reachesTheFixturesSteps() {
    Pipelines p = pipelines(Map.of("stepwise.pipelines.echo.steps.shout.retry.attempts", "7"));
    assertThat(p.get("echo").policy(p.get("echo").require("shout")).attempts()).isEqualTo(7);
    assertThat(p.get("echo").policy(p.get("echo").require("greet"))).isEqualTo(RetryPolicy.DEFAULT);
  }

  @Test
  void anInvalidRetryPolicy_stopsTheStart_namingTheKey() {
    assertThatThrownBy(() -> pipelines(Map.of("stepwise.pipelines.echo.retry.jitter", "maybe")))
        .hasMessageContaining(
            "stepwise.pipelines.echo.retry.jitter must be FULL or NONE; it is 'maybe'");
  }

  @Test
  void aKeyThatMoved_stopsTheStart_sayingWhereItLivesNow() {
    assertThatThrownBy(() -> pipelines(Map.of("stepwise.analyze.primary", "openai")))
        .hasMessageContaining("stepwise.analyze.* is no longer read")
        .hasMessageContaining("stepwise.routing.{primary,fallbacks,timeout}");
    assertThatThrownBy(() -> pipelines(Map.of("stepwise.report.backup", "claude")))
        .hasMessageContaining("stepwise.pipelines.research-report.*");
  }
}
