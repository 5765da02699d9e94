package io.stepwise.pipelines.digest.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepwise.kit.publish.PostPayload;
import io.stepwise.pipelines.digest.analysis.Post;
import io.stepwise.steps.errors.TerminalStepException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildPayloadBodyTest {

  private final BuildPayloadBody body = new BuildPayloadBody("");

  private static Post post(String title, String summary, List<String> tags) {
    return new Post(
        "2411.10001",
        title,
        summary,
        List.of("要点一", "要点二 👨‍👩‍👧"),
        tags,
        "zh",
        "Scaling Laws for Sparse Mixture-of-Experts Retrieval",
        "https://arxiv.org/abs/2411.10001",
        "primary",
        "chosen");
  }

  @Test
  void longTitleAndBody_areCutToRedNoteLimits_keepingTheSource() {
    String summary = "🚀模型压缩".repeat(400);
    PostPayload p =
        body.build(
            post("这是一个非常非常长的标题，远远超过二十个字符的限制了👍🏽", summary, List.of("#AI", "论文")),
            List.of("s3://b/1.png"),
            "zh");

    assertThat(Graphemes.count(p.title())).isEqualTo(20);
    assertThat(p.title()).endsWith("…");
    assertThat(Graphemes.count(p.body())).isLessThanOrEqualTo(1000);
    assertThat(p.body()).contains("原文：Scaling Laws", "https://arxiv.org/abs/2411.10001");
    assertThat(p.tags()).containsExactly("AI", "论文");
  }

  @Test
  void tags_goBesideTheBody_notRepeatedInIt() {
    PostPayload p =
        body.build(post("短标题", "一句话总结。", List.of("#AI", "论文")), List.of("s3://b/1.png"), "zh");
    assertThat(p.tags()).containsExactly("AI", "论文");
    assertThat(p.body())
        .doesNotContain("#")
        .endsWith(
            "原文：Scaling Laws for Sparse Mixture-of-Experts Retrieval\nhttps://arxiv.org/abs/2411.10001");
  }

  @Test
  void shortPost_isKeptWhole() {
    PostPayload p = body.build(post("短标题", "一句话总结。", List.of("AI")), List.of("s3://b/1.png"), "zh");
    assertThat(p.title()).isEqualTo("短标题");
    assertThat(p.body()).startsWith("一句话总结。\n\n• 要点一\n• 要点二 👨‍👩‍👧\n\n原文：");
  }

  @Test
  void noImage_isTerminalNamingTheRule() {
    assertThatThrownBy(() -> body.build(post("标题", "总结", List.of()), List.of(), "zh"))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining("0 images")
        .hasMessageContaining("1 to 9");
  }

  @Test
  void tenImages_isTerminal() {
    assertThatThrownBy(
            () ->
                body.build(
                    post("标题", "总结", List.of()), Collections.nCopies(10, "s3://b/x.png"), "zh"))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining("10 images");
  }

  @Test
  void blankTitle_isTerminal() {
    assertThatThrownBy(() -> body.build(post("  ", "总结", List.of()), List.of("s3://b/1.png"), "zh"))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining("empty title");
  }

  @Test
  void tags_areCappedAtTen() {
    List<String> tags = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l");
    assertThat(body.build(post("标题", "总结", tags), List.of("s3://b/1.png"), "zh").tags())
        .hasSize(10);
  }

  @Test
  void aLatinTitle_isCutBetweenWords_notInsideOne() {
    PostPayload p =
        body.build(
            post("Scaling Laws for Sparse Mixture-of-Experts Retrieval", "s", List.of()),
            List.of("s3://b/1.png"),
            "en");
    assertThat(p.title()).isEqualTo("Scaling Laws for…");
    assertThat(Graphemes.count(p.title())).isLessThanOrEqualTo(20);
  }

  @Test
  void theTitlePrefix_isConfigurable_emptyByDefault_andCountsAgainstTheLimit() {
    PostPayload plain = body.build(post("短标题", "s", List.of()), List.of("s3://b/1.png"), "zh");
    assertThat(plain.title()).isEqualTo("短标题");
    PostPayload prefixed =
        new BuildPayloadBody("新论文速递：")
            .build(post("一个相当长的论文标题需要被截断才行", "s", List.of()), List.of("s3://b/1.png"), "zh");
    assertThat(prefixed.title()).startsWith("新论文速递：一个");
    assertThat(Graphemes.count(prefixed.title())).isEqualTo(20);
  }
}
