package io.stepwise.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepwise.steps.errors.RateLimitedException;
import io.stepwise.steps.errors.StepException;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.steps.errors.TransientStepException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fallback along the chain, its reasons, busy models passed over, and which error is left when all
 * fail.
 */
class ModelRouterTest {

  private static final String POST =
      "{\"title\":\"A post\",\"summary\":\"long enough to pass min-chars\"}";

  private final ModelSpec a =
      new ModelSpec(
          "a",
          Provider.OPENAI_COMPATIBLE,
          "http://127.0.0.1:9",
          "fake-a",
          null,
          1,
          0,
          true,
          ProbeKind.MODELS_LIST,
          null,
          1);
  private final ModelSpec b =
      new ModelSpec(
          "b",
          Provider.ANTHROPIC,
          "http://127.0.0.1:9",
          "fake-b",
          null,
          1,
          0,
          true,
          ProbeKind.MODELS_LIST,
          null,
          1);
  private final ChatTacticsTest.Script script = new ChatTacticsTest.Script();
  private final ModelLoad load = new ModelLoad(0.3);
  private final List<String> reported = new ArrayList<>();
  private final ModelSelector selector =
      new ModelSelector() {
        @Override
        public List<Choice> candidates(RoutingStrategy strategy, List<String> chain) {
          return List.of(new Choice(a, "chosen"), new Choice(b, "fallback"));
        }

        @Override
        public void reportFailure(ModelSpec model, StepException error) {
          reported.add(model.name() + " " + error.type());
        }
      };
  private final ModelRouter router =
      new ModelRouter(selector, new ChatTactics(script, new ModelCatalog(List.of())), load);
  private final CallPolicy policy =
      new CallPolicy(
          RoutingStrategy.SCORE,
          100,
          400,
          20,
          3,
          Duration.ofMillis(1),
          Duration.ofMillis(2),
          null,
          0);

  private ModelRouter.Routed<String> call() {
    return router.call(
        policy,
        "t-1",
        "analyze",
        s ->
            s.chat(new ChatRequest("sys", List.of(new ChatRequest.Message("user", "x")), 100, 0.3))
                .content());
  }

  @Test
  void theFirstChoiceAnswering_isChosen() {
    script.answer(POST, "stop");
    ModelRouter.Routed<String> r = call();
    assertThat(r.model()).isEqualTo(a);
    assertThat(r.reason()).isEqualTo("chosen");
  }

  @Test
  void aFailingModel_isReported_andTheNextAnswers_sayingWhy() {
    script
        .fail(new RateLimitedException("a answered HTTP 429", Duration.ofSeconds(5)))
        .answer(POST, "stop");
    ModelRouter.Routed<String> r = call();
    assertThat(r.model()).isEqualTo(b);
    assertThat(r.reason()).isEqualTo("fallback: a rate-limited");
    assertThat(reported).containsExactly("a RateLimitedException");
  }

  @Test
  void aCallTheBudgetRefused_endsTheChain_andCoolsNoModelDown() {
    script.fail(
        new TerminalStepException(
            ModelGateway.BUDGET_EXCEEDED + ": a call to a may cost up to $0.001; not sent", null));
    assertThatThrownBy(this::call)
        .isInstanceOf(TerminalStepException.class)
        .hasMessageStartingWith("BudgetExceeded: ");
    assertThat(script.calls).as("b is not asked: it would be refused the same").hasSize(1);
    assertThat(reported).as("a has not failed").isEmpty();
  }

  private ModelRouter.Routed<String> callWithInlineWaits() {
    ModelRouter waiting =
        new ModelRouter(
            selector,
            new ChatTactics(script, new ModelCatalog(List.of())),
            load,
            Duration.ofSeconds(20),
            0.001);
    return waiting.call(
        policy,
        "t-1",
        "analyze",
        s ->
            s.chat(new ChatRequest("sys", List.of(new ChatRequest.Message("user", "x")), 100, 0.3))
                .content());
  }

  @Test
  void aShortRetryAfterOnEveryModel_isWaitedOutInline_andTheCallRoutedAgain() {
    script
        .fail(new RateLimitedException("a 429", Duration.ofSeconds(5)))
        .fail(new RateLimitedException("b 429", Duration.ofSeconds(8)))
        .answer(POST, "stop");
    ModelRouter.Routed<String> r = callWithInlineWaits();
    assertThat(r.model()).isEqualTo(a);
    assertThat(script.calls).extracting(c -> c.model().name()).containsExactly("a", "b", "a");
  }

  @Test
  void aRetryAfterBeyondTheCeiling_orZero_orAFourthTime_goesToTheStateMachine() {
    script
        .fail(new RateLimitedException("a 429", Duration.ofSeconds(30)))
        .fail(new RateLimitedException("b 429", Duration.ofSeconds(30)));
    assertThatThrownBy(this::callWithInlineWaits)
        .isInstanceOf(RateLimitedException.class)
        .hasMessageContaining("(retry after 30 s)");
    assertThat(script.calls).hasSize(2);

    script.calls.clear();
    script
        .fail(new RateLimitedException("a 429", Duration.ZERO))
        .fail(new RateLimitedException("b 429", Duration.ZERO));
    assertThatThrownBy(this::callWithInlineWaits).isInstanceOf(RateLimitedException.class);
    assertThat(script.calls).as("retry-after 0: both models tried once, no loop").hasSize(2);

    script.calls.clear();
    for (int i = 0; i < 8; i++) {
      script.fail(new RateLimitedException("429", Duration.ofSeconds(1)));
    }
    assertThatThrownBy(this::callWithInlineWaits).isInstanceOf(RateLimitedException.class);
    assertThat(script.calls)
        .as("the first routing and three inline waits, two models each")
        .hasSize(8);
  }

  @Test
  void aModelWithNoFreePlace_isPassedOver() {
    script.answer(POST, "stop");
    try (ModelLoad.Slot held = load.acquire(a, Duration.ZERO)) {
      ModelRouter.Routed<String> r = call();
      assertThat(r.model()).isEqualTo(b);
      assertThat(r.reason()).isEqualTo("fallback: a busy");
    }
    assertThat(script.calls).extracting(c -> c.model().name()).containsExactly("b");
  }

  @Test
  void aRefusal_endsTheChain() {
    script.answer("", "content_filter");
    assertThatThrownBy(this::call)
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining("content_filter");
    assertThat(script.calls).hasSize(1);
    assertThat(reported).isEmpty();
  }

  @Test
  void allFailing_throwsTheErrorMostWorthRetrying() {
    script
        .fail(new TerminalStepException("a answered HTTP 401"))
        .fail(new TransientStepException("b answered HTTP 503"));
    assertThatThrownBy(this::call)
        .isInstanceOf(TransientStepException.class)
        .hasMessageContaining("503");
  }

  @Test
  void allTerminal_isOneTerminalErrorNamingEach() {
    script
        .fail(new TerminalStepException("a answered HTTP 401"))
        .fail(new TerminalStepException("b answered HTTP 403"));
    assertThatThrownBy(this::call)
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining("every model failed for analyze")
        .hasMessageContaining("401")
        .hasMessageContaining("403");
  }
}
