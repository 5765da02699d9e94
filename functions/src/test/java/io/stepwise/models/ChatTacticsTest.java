package io.stepwise.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepwise.steps.errors.ModelOutputIncompleteException;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.steps.errors.TransientStepException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per finish-reason tactic, against a scripted model (each answer given in advance). */
class ChatTacticsTest {

  private static final String POST =
      "{\"title\":\"A post\",\"summary\":\"long enough to pass min-chars\"}";

  private final ModelSpec primary = spec("primary");
  private final ModelSpec backup = spec("backup");
  private final Script script = new Script();
  private final List<Long> jitterBounds = new ArrayList<>();
  private final List<Long> sleeps = new ArrayList<>();
  private final ChatTactics tactics =
      new ChatTactics(
          script,
          catalog(),
          bound -> {
            jitterBounds.add(bound);
            return bound / 2;
          },
          sleeps::add);

  private static ModelSpec spec(String name) {
    return new ModelSpec(
        name, Provider.OPENAI_COMPATIBLE, "http://127.0.0.1:9", "fake-" + name, null, 1, 0, true);
  }

  private static ModelCatalog catalog() {
    List<ModelProperties> props = new ArrayList<>();
    for (String name : List.of("primary", "backup")) {
      ModelProperties p = new ModelProperties(name);
      p.setBaseUrl("http://127.0.0.1:9");
      p.setModel("fake-" + name);
      props.add(p);
    }
    return new ModelCatalog(props);
  }

  private static CallPolicy policy(String backup) {
    return new CallPolicy(
        RoutingStrategy.SCORE,
        1000,
        4000,
        20,
        3,
        Duration.ofMillis(400),
        Duration.ofMillis(1000),
        backup,
        0);
  }

  private static ChatRequest request() {
    return new ChatRequest(
        "system", List.of(new ChatRequest.Message("user", "the paper")), 1000, 0.3);
  }

  private ChatTactics.Completion complete(CallPolicy policy) {
    return tactics.complete(primary, request(), policy, "t-1", "analyze");
  }

  @Test
  void stop_isDoneAtOnce() {
    script.answer(POST, "stop");
    ChatTactics.Completion c = complete(policy(null));
    assertThat(c.result().content()).isEqualTo(POST);
    assertThat(c.model()).isEqualTo(primary);
    assertThat(c.note()).isNull();
    assertThat(script.calls).extracting(Call::reason).containsExactly("first");
  }

  @Test
  void length_retriesAtOnceWithMaxTokensDoubled_upToTheCap_thenIsIncomplete() {
    script.answer("cut", "length").answer("cut", "length").answer("cut", "length");
    assertThatThrownBy(() -> complete(policy(null)))
        .isInstanceOfSatisfying(
            ModelOutputIncompleteException.class,
            e -> assertThat(e.finishReason()).isEqualTo("length"))
        .hasMessageContaining("max-tokens-cap 4000");
    assertThat(script.calls)
        .extracting(c -> c.request().maxTokens())
        .containsExactly(1000, 2000, 4000);
    assertThat(script.calls)
        .extracting(Call::reason)
        .containsExactly("first", "length: max_tokens 2000", "length: max_tokens 4000");
    assertThat(sleeps).as("the input's fault: no waiting").isEmpty();
  }

  @Test
  void length_thenStop_returnsTheLongerAnswer() {
    script.answer("cut", "length").answer(POST, "stop");
    assertThat(complete(policy(null)).result().content()).isEqualTo(POST);
    assertThat(script.calls.get(1).request().maxTokens()).isEqualTo(2000);
  }

  @Test
  void length_withContinuations_asksTheModelToGoOn_andStitchesTheParts() {
    script
        .answer("{\"title\":\"A post\",", "length")
        .answer("\"summary\":\"long enough", "length")
        .answer(" to pass\"}", "stop");
    ChatTactics.Completion c = complete(policy(null).withContinuations(3));
    assertThat(c.result().content())
        .isEqualTo("{\"title\":\"A post\",\"summary\":\"long enough to pass\"}");
    assertThat(script.calls)
        .extracting(Call::reason)
        .containsExactly("first", "length: continuation 1", "length: continuation 2");
    List<ChatRequest.Message> last = script.calls.get(2).request().messages();
    assertThat(last)
        .extracting(ChatRequest.Message::role)
        .containsExactly("user", "assistant", "user", "assistant", "user");
    assertThat(last.get(4).content()).isEqualTo(ChatTactics.CONTINUE);
    assertThat(script.calls).extracting(c2 -> c2.request().maxTokens()).containsOnly(1000);
  }

  @Test
  void length_afterTheLastContinuation_fallsBackToDoublingAfresh() {
    script.answer("part", "length").answer("more", "length").answer(POST, "stop");
    ChatTactics.Completion c = complete(policy(null).withContinuations(1));
    assertThat(c.result().content()).isEqualTo(POST);
    assertThat(script.calls.get(2).request().messages()).hasSize(1);
    assertThat(script.calls.get(2).request().maxTokens()).isEqualTo(2000);
  }

  @Test
  void unknownOrMissing_backsOffWithFullJitter_doublingTheBound() {
    script.answer("x", "unknown").answer("x", null).answer(POST, "stop");
    assertThat(complete(policy(null)).result().content()).isEqualTo(POST);
    assertThat(jitterBounds).as("base × 2^n, capped at backoff-max").containsExactly(400L, 800L);
    assertThat(sleeps)
        .as("a random wait between 0 and the bound (here: half)")
        .containsExactly(200L, 400L);
    assertThat(script.calls)
        .extracting(Call::reason)
        .containsExactly("first", "unknown: backoff 200 ms", "missing: backoff 400 ms");
  }

  @Test
  void unknownEveryTime_isIncomplete_andTheBoundNeverPassesTheMax() {
    script.answer("x", null).answer("x", null).answer("x", null);
    assertThatThrownBy(() -> complete(policy(null).withStrategy(RoutingStrategy.SCORE)))
        .isInstanceOfSatisfying(
            ModelOutputIncompleteException.class,
            e -> assertThat(e.finishReason()).isEqualTo("missing"));
    assertThat(jitterBounds).containsExactly(400L, 800L, 1000L);
  }

  @Test
  void shorterThanMinChars_isRetried() {
    script.answer("ok", "stop").answer(POST, "stop");
    assertThat(complete(policy(null)).result().content()).isEqualTo(POST);
    assertThat(script.calls).extracting(Call::reason).containsExactly("first", "short: 2 chars");
  }

  @Test
  void shortEveryTime_isIncomplete() {
    script.answer("ok", "stop").answer("", "stop").answer("no", "stop");
    assertThatThrownBy(() -> complete(policy(null)))
        .isInstanceOfSatisfying(
            ModelOutputIncompleteException.class,
            e -> assertThat(e.finishReason()).isEqualTo("short"));
  }

  @Test
  void theLastAttempt_goesToTheBackup() {
    script.answer("x", "unknown").answer("ok", "stop").answer(POST, "stop");
    ChatTactics.Completion c = complete(policy("backup"));
    assertThat(c.model()).isEqualTo(backup);
    assertThat(c.byBackup(primary)).isTrue();
    assertThat(c.note()).isEqualTo("backup after primary short (2 chars < min-chars 20)");
    assertThat(script.calls)
        .extracting(call -> call.model().name())
        .containsExactly("primary", "primary", "backup");
  }

  @Test
  void lengthAtTheCap_goesToTheBackupAtOnce() {
    CallPolicy tight =
        new CallPolicy(
            RoutingStrategy.SCORE,
            1000,
            1000,
            20,
            3,
            Duration.ofMillis(400),
            Duration.ofMillis(1000),
            "backup",
            0);
    script.answer("cut", "length").answer(POST, "stop");
    ChatTactics.Completion c = complete(tight);
    assertThat(c.model()).isEqualTo(backup);
    assertThat(script.calls).hasSize(2);
  }

  @Test
  void contentFilter_isTerminal_withoutABackup() {
    script.answer("", "content_filter");
    assertThatThrownBy(() -> complete(policy(null)))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageEndingWith(ChatTactics.REFUSED);
    assertThat(script.calls).hasSize(1);
  }

  @Test
  void contentFilter_goesToTheBackup_whenOneIsConfigured() {
    script.answer("", "content_filter").answer(POST, "stop");
    ChatTactics.Completion c = complete(policy("backup"));
    assertThat(c.model()).isEqualTo(backup);
    assertThat(script.calls)
        .extracting(Call::reason)
        .containsExactly("first", "backup after primary content_filter");
  }

  @Test
  void contentFilter_fromTheBackupToo_isTerminal() {
    script.answer("", "content_filter").answer("", "content_filter");
    assertThatThrownBy(() -> complete(policy("backup")))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageStartingWith("backup ");
  }

  @Test
  void httpFailures_areNotFinishReasons_andPropagateAtOnce() {
    script.fail(new TransientStepException("primary answered HTTP 503"));
    assertThatThrownBy(() -> complete(policy("backup"))).isInstanceOf(TransientStepException.class);
    assertThat(script.calls).hasSize(1);
  }

  record Call(ModelSpec model, ChatRequest request, String reason) {}

  /** Answers in order; records what was asked. */
  static final class Script implements ChatCall {
    private final Deque<Object> answers = new ArrayDeque<>();
    final List<Call> calls = new ArrayList<>();

    Script answer(String content, String finish) {
      answers.add(new ChatResult(content, finish, 10, 10));
      return this;
    }

    Script fail(RuntimeException e) {
      answers.add(e);
      return this;
    }

    @Override
    public ChatResult chat(ModelSpec model, ChatRequest request, Attempt attempt) {
      calls.add(new Call(model, request, attempt.reason()));
      Object next = answers.poll();
      if (next == null) {
        throw new AssertionError("no answer scripted for call " + calls.size());
      }
      if (next instanceof RuntimeException e) {
        throw e;
      }
      return (ChatResult) next;
    }
  }
}
