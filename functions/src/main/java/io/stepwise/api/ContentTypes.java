package io.stepwise.api;

import java.util.Locale;
import java.util.Optional;

/**
 * The charset rule of request bodies: a {@code Content-Type} without a charset, or with {@code
 * charset=utf-8}, is read as UTF-8; any other charset, known or not, and a header we cannot parse
 * are refused (415) rather than guessed at.
 */
final class ContentTypes {

  private ContentTypes() {}

  /** Why the header is refused, or empty when the body may be read as UTF-8. */
  static Optional<String> refusal(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return Optional.empty();
    }
    String[] parts = contentType.split(";", -1);
    if (!parts[0].trim().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
      return Optional.of("Content-Type '" + shorten(contentType) + "' is not a media type");
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim();
      int eq = parameter.indexOf('=');
      if (eq <= 0) {
        return Optional.of("Content-Type '" + shorten(contentType) + "' has a malformed parameter");
      }
      if (parameter.substring(0, eq).trim().equalsIgnoreCase("charset")) {
        String charset = unquote(parameter.substring(eq + 1).trim());
        if (!charset.toLowerCase(Locale.ROOT).equals("utf-8")) {
          return Optional.of(
              "request bodies must be UTF-8; charset '" + shorten(charset) + "' is not accepted");
        }
      }
    }
    return Optional.empty();
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }

  private static String shorten(String s) {
    String printable = s.replaceAll("[^\\x20-\\x7E]", "?");
    return printable.length() <= 80 ? printable : printable.substring(0, 80) + "...";
  }
}
