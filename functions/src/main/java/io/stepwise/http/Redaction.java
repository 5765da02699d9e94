package io.stepwise.http;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from texts that may be logged, stored or shown. A secret becomes its {@link
 * #mask} (the same {@code sk-…abcd} the API shows for a configured key), wherever it appears: on
 * its own, inside a longer token, as often as it is repeated, and written with JSON {@code \}{@code
 * uXXXX} (or {@code \/}) escapes for any of its characters, which a raw error body may contain.
 * Secrets shorter than {@value #SHORTEST} characters are left alone: masking them would mangle
 * ordinary text and protect nothing.
 */
public final class Redaction {

  static final int SHORTEST = 4;

  private Redaction() {}

  public static String redact(String text, Collection<String> secrets) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String result = text;
    // Longest first: a key that contains another key is masked whole, not around the shorter one.
    List<String> ordered =
        secrets.stream()
            .filter(Objects::nonNull)
            .filter(s -> s.length() >= SHORTEST)
            .distinct()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
    for (String secret : ordered) {
      String mask = mask(secret);
      result = result.replace(secret, mask);
      if (result.indexOf('\\') >= 0) {
        result = escaped(secret).matcher(result).replaceAll(Matcher.quoteReplacement(mask));
      }
    }
    return result;
  }

  /** {@code sk-…abcd}: the prefix up to the first dash and the last four characters, never more. */
  public static String mask(String secret) {
    if (secret == null || secret.isEmpty()) {
      return "";
    }
    if (secret.length() < 12) {
      return "…";
    }
    int dash = secret.indexOf('-');
    String prefix = dash > 0 && dash <= 6 ? secret.substring(0, dash + 1) : "";
    return prefix + "…" + secret.substring(secret.length() - 4);
  }

  /** The secret with each character either as itself or as a JSON escape of it. */
  private static Pattern escaped(String secret) {
    StringBuilder regex = new StringBuilder();
    for (char c : secret.toCharArray()) {
      regex
          .append("(?:")
          .append(Pattern.quote(String.valueOf(c)))
          .append("|\\\\u(?i:")
          .append(String.format(Locale.ROOT, "%04x", (int) c))
          .append(')');
      if (c == '/') {
        regex.append("|\\\\/");
      }
      regex.append(')');
    }
    return Pattern.compile(regex.toString());
  }
}
