package io.stepwise.pipelines.digest.payload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * Cutting text never splits a user-perceived character. Property-style: random mixes of ASCII, CJK,
 * emoji (skin tones, ZWJ families, flags, keycaps), combining marks and Hangul jamo, cut at every
 * length.
 */
class GraphemesTest {

  private static final List<String> PIECES =
      List.of(
          "a",
          "Z",
          " ",
          "7",
          "中",
          "文",
          "、",
          "。",
          "😀",
          "👍🏽",
          "👨‍👩‍👧‍👦",
          "🏳️‍🌈",
          "🇨🇳",
          "🇯🇵",
          "1️⃣",
          "❤️",
          "e\u0301",
          "a\u0308\u0323",
          "\u1100\u1161\u11A8",
          "ก\u0e34",
          "ñ",
          "Å");

  private static String randomText(Random random, int pieces) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < pieces; i++) {
      text.append(PIECES.get(random.nextInt(PIECES.size())));
    }
    return text.toString();
  }

  /**
   * Whether a cut at {@code index} of {@code text} would split a character: judged from the code
   * points.
   */
  private static boolean splitsACharacter(String text, int index) {
    if (index <= 0 || index >= text.length()) {
      return false;
    }
    if (Character.isHighSurrogate(text.charAt(index - 1))
        && Character.isLowSurrogate(text.charAt(index))) {
      return true;
    }
    int before = text.codePointBefore(index);
    int after = text.codePointAt(index);
    int type = Character.getType(after);
    boolean joinsPrevious =
        type == Character.NON_SPACING_MARK
            || type == Character.ENCLOSING_MARK
            || type == Character.COMBINING_SPACING_MARK
            || after == 0x200D
            || before == 0x200D // zero-width joiner
            || (after >= 0xFE00 && after <= 0xFE0F) // variation selectors
            || (after >= 0x1F3FB && after <= 0x1F3FF) // skin tones
            || (after >= 0x1160 && after <= 0x11FF); // Hangul medial/final jamo
    boolean insideFlag =
        isRegionalIndicator(before)
            && isRegionalIndicator(after)
            && regionalIndicatorsBefore(text, index) % 2 == 1;
    return joinsPrevious || insideFlag;
  }

  private static boolean isRegionalIndicator(int cp) {
    return cp >= 0x1F1E6 && cp <= 0x1F1FF;
  }

  private static int regionalIndicatorsBefore(String text, int index) {
    int n = 0;
    int i = index;
    while (i > 0 && isRegionalIndicator(text.codePointBefore(i))) {
      n++;
      i -= Character.charCount(text.codePointBefore(i));
    }
    return n;
  }

  @RepeatedTest(200)
  void truncate_neverSplitsACharacter_andStaysWithinTheLimit(RepetitionInfo info) {
    Random random = new Random(info.getCurrentRepetition());
    String text = randomText(random, 1 + random.nextInt(40));
    for (int max = 1; max <= Graphemes.count(text) + 1; max++) {
      String cut = Graphemes.truncate(text, max);
      assertThat(Graphemes.count(cut))
          .as("length of %s cut to %d", text, max)
          .isLessThanOrEqualTo(max);
      if (cut.equals(text)) {
        continue;
      }
      assertThat(cut).endsWith("…");
      String kept = cut.substring(0, cut.length() - 1);
      assertThat(text).startsWith(kept);
      assertThat(splitsACharacter(text, kept.length()))
          .as("cut of %s after %d chars", text, kept.length())
          .isFalse();
    }
  }

  @Test
  void count_countsWhatAReaderSees() {
    assertThat(Graphemes.count("👨‍👩‍👧‍👦")).isEqualTo(1);
    assertThat(Graphemes.count("🇨🇳🇯🇵")).isEqualTo(2);
    assertThat(Graphemes.count("e\u0301")).isEqualTo(1);
    assertThat(Graphemes.count("新论文速递")).isEqualTo(5);
  }

  @Test
  void truncate_keepsShortTextAsItIs() {
    assertThat(Graphemes.truncate("短标题", 20)).isEqualTo("短标题");
    assertThat(Graphemes.truncate("一二三四五六七八九十一二三四五六七八九十二", 20)).isEqualTo("一二三四五六七八九十一二三四五六七八九…");
  }

  @Test
  void theSplitCheckItselfDetectsSplits() {
    assertThat(splitsACharacter("👍🏽", 2)).isTrue();
    assertThat(splitsACharacter("👨‍👩", 2)).isTrue();
    assertThat(splitsACharacter("🇨🇳", 2)).isTrue();
    assertThat(splitsACharacter("e\u0301", 1)).isTrue();
    assertThat(splitsACharacter("😀", 1)).isTrue();
    assertThat(splitsACharacter("中文", 1)).isFalse();
  }

  @Test
  void spacedScripts_areCutBetweenWords_chineseAtAnyCharacter() {
    assertThat(Graphemes.truncate("New: Scaling Laws for Sparse Models", 20))
        .isEqualTo("New: Scaling Laws…");
    assertThat(Graphemes.truncate("Überraschend schnelle Modelle", 16)).isEqualTo("Überraschend…");
    assertThat(Graphemes.truncate("新论文速递：稀疏专家混合模型的扩展定律研究", 10)).isEqualTo("新论文速递：稀疏专…");
    // one long word: backing off would lose more than half the room, so the cut stays inside it
    assertThat(Graphemes.truncate("a Supercalifragilisticexpialidocious", 12))
        .isEqualTo("a Supercali…");
  }
}
