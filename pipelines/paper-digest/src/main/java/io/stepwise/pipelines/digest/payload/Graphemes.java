package io.stepwise.pipelines.digest.payload;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text measured and cut in user-perceived characters (extended grapheme clusters, Unicode TR29): an
 * emoji family, a flag, a letter with its combining accents each count as one and are never split.
 */
public final class Graphemes {

  private static final Pattern CLUSTER = Pattern.compile("\\X");
  private static final String ELLIPSIS = "…";

  private Graphemes() {}

  public static int count(String text) {
    Matcher m = CLUSTER.matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /**
   * The text if it has at most {@code max} characters, else its first characters and "…", {@code
   * max} in all. A cut that would fall inside a word of a spaced script (Latin, Cyrillic, …) moves
   * back to the space before the word, unless that loses more than half the room; Chinese and
   * Japanese, written without spaces, are cut at any character.
   */
  public static String truncate(String text, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1");
    }
    if (count(text) <= max) {
      return text;
    }
    String kept = prefix(text, max - 1);
    if (insideWord(text, kept.length())) {
      int space = lastSpace(kept);
      if (space > 0 && count(kept.substring(0, space)) >= (max - 1) / 2) {
        kept = kept.substring(0, space);
      }
    }
    return kept.stripTrailing() + ELLIPSIS;
  }

  /**
   * Whether position {@code at} separates two letters or digits of a spaced script (so, a word).
   */
  private static boolean insideWord(String text, int at) {
    if (at <= 0 || at >= text.length()) {
      return false;
    }
    int before = text.codePointBefore(at);
    int after = text.codePointAt(at);
    return spacedWordChar(before) && spacedWordChar(after);
  }

  private static boolean spacedWordChar(int cp) {
    if (!Character.isLetterOrDigit(cp)) {
      return false;
    }
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script != Character.UnicodeScript.HAN
        && script != Character.UnicodeScript.HIRAGANA
        && script != Character.UnicodeScript.KATAKANA
        && script != Character.UnicodeScript.THAI;
  }

  private static int lastSpace(String text) {
    for (int i = text.length() - 1; i > 0; i--) {
      if (Character.isWhitespace(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /** The first {@code n} whole characters. */
  static String prefix(String text, int n) {
    Matcher m = CLUSTER.matcher(text);
    int end = 0;
    for (int i = 0; i < n && m.find(); i++) {
      end = m.end();
    }
    return text.substring(0, end);
  }
}
