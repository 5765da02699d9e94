package io.stepwise.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PromptSizeTest {

  @Test
  void english_isAboutFourCharactersAToken_chinese_oneACharacter() {
    assertThat(PromptSize.estimate("a".repeat(400))).isEqualTo(100);
    assertThat(PromptSize.estimate("扩散模型用于蛋白质折叠")).isEqualTo(11);
    assertThat(PromptSize.estimate("")).isZero();
    assertThat(PromptSize.estimate((String) null)).isZero();
  }

  @Test
  void aRequest_countsItsSystemPromptAndEveryMessage() {
    ChatRequest request =
        new ChatRequest(
            "a".repeat(40),
            List.of(
                new ChatRequest.Message("user", "b".repeat(80)),
                new ChatRequest.Message("assistant", "c".repeat(8))),
            100,
            0.3);
    assertThat(PromptSize.estimate(request)).isEqualTo(10 + 20 + 4 + 2 + 4);
  }

  @Test
  void cut_keepsTheLongestStartThatFits_andSaysItWasCut() {
    String text = "word ".repeat(1000);
    String cut = PromptSize.cut(text, 100);
    assertThat(cut).endsWith("…").startsWith("word word");
    assertThat(PromptSize.estimate(cut)).isLessThanOrEqualTo(100);
    assertThat(PromptSize.estimate(cut)).isGreaterThanOrEqualTo(98);
    assertThat(PromptSize.cut("short", 100)).isEqualTo("short");
    assertThat(PromptSize.cut("蛋白质".repeat(100), 10)).hasSize(10).endsWith("…");
  }

  @Test
  void theBudget_leavesTheAnswerItsRoomBelowEightyPercent() {
    assertThat(PromptSize.promptBudget(10_000, 1_000)).isEqualTo(7_000);
    assertThat(PromptSize.promptBudget(1_024, 2_000)).isZero();
  }
}
