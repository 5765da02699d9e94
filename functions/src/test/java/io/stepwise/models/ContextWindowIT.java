package io.stepwise.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.health.HealthAwareSelector;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.testing.LocalServicesBase;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A request too large for a model's context window is refused before it is sent (never the
 * provider's 400), and the router takes the call to a model with a larger window without cooling
 * the small one down: it has not failed.
 */
@MicronautTest(environments = "test")
class ContextWindowIT extends LocalServicesBase {

  @Inject ModelCatalog catalog;
  @Inject ModelGateway gateway;
  @Inject ModelRouter router;
  @Inject HealthAwareSelector selector;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = super.getProperties();
    for (String name : List.of("small", "large")) {
      p.put("stepwise.models." + name + ".provider", "openai-compatible");
      p.put("stepwise.models." + name + ".base-url", models.apiBase());
      p.put("stepwise.models." + name + ".model", "fake-" + name);
    }
    p.put("stepwise.models.small.context-window", "2000");
    return p;
  }

  private static ChatRequest prompt(int words) {
    return new ChatRequest(
        "You write posts.",
        List.of(new ChatRequest.Message("user", "word ".repeat(words))),
        500,
        0.3);
  }

  @Test
  void tooLarge_isRefusedUnsent_namingTheWindow() {
    models.reset();
    ModelSpec small = catalog.find("small").orElseThrow();
    assertThatThrownBy(() -> gateway.chat(small, prompt(2000), "t-window", "analyze"))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageStartingWith("ContextWindowExceeded: the prompt (about 2")
        .hasMessageContaining("do not fit the context window of small (2000 tokens)");
    assertThat(models.calls("fake-small")).as("nothing sent").isEmpty();

    assertThat(gateway.chat(small, prompt(100), "t-window", "analyze").content()).isNotBlank();
  }

  @Test
  void theRouter_takesItToALargerWindow_andCoolsNothingDown() {
    models.reset();
    ModelRouter.Routed<String> routed =
        router.call(
            new CallPolicy(
                RoutingStrategy.SCORE,
                500,
                500,
                0,
                1,
                Duration.ofMillis(1),
                Duration.ofMillis(1),
                null,
                0,
                List.of("small", "large"),
                null),
            "t-window",
            "analyze",
            session -> session.chat(prompt(2000)).content());

    assertThat(routed.model().name()).isEqualTo("large");
    assertThat(routed.reason()).contains("small too small");
    assertThat(models.calls("fake-small")).isEmpty();
    assertThat(selector.candidates(RoutingStrategy.SCORE, List.of("small", "large")))
        .extracting(c -> c.model().name())
        .as("the small model is not cooling down")
        .contains("small");
  }
}
