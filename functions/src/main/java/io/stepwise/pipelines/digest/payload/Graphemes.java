package io.stepwise.pipelines.digest.payload;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text measured and cut in user-perceived characters (extended grapheme clusters, Unicode TR29): an emoji
 * family, a flag, a letter with its combining accents each count as one and are never split.
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

  /** The text if it has at most {@code max} characters, else its first characters and "…", {@code max} in all. */
  public static String truncate(String text, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1");
    }
    if (count(text) <= max) {
      return text;
    }
    return prefix(text, max - 1).stripTrailing() + ELLIPSIS;
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
