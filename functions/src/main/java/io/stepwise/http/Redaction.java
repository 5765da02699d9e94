package io.stepwise.http;

import java.util.Collection;

/** Removes secrets from texts that may be logged, stored or shown. */
public final class Redaction {

  private Redaction() {}

  public static String redact(String text, Collection<String> secrets) {
    String result = text;
    for (String secret : secrets) {
      if (secret != null && secret.length() >= 4) {
        result = result.replace(secret, mask(secret));
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
}
