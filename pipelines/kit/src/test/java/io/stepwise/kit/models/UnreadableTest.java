package io.stepwise.kit.models;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnreadableTest {

  @Test
  void quotesTheAnswersStart_onOneLine_cutWithAnEllipsis() {
    assertThat(Unreadable.answer("local-gpt", "the plan's JSON", "  Sure!\n\n here it is  "))
        .hasMessage(
            "local-gpt did not answer with the plan's JSON, even after a repair request;"
                + " it answered: \"Sure! here it is\"")
        .satisfies(e -> assertThat(e.retryable()).isFalse());
    assertThat(Unreadable.start("x".repeat(200))).hasSize(Unreadable.QUOTED + 1).endsWith("…");
    assertThat(Unreadable.start(null)).isEmpty();
  }
}
