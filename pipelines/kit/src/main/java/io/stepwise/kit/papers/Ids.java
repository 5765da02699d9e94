package io.stepwise.kit.papers;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** arXiv identifiers: {@code http://arxiv.org/abs/2411.10001v2} → {@code 2411.10001}. */
final class Ids {

  private static final Pattern ARXIV =
      Pattern.compile("(\\d{4}\\.\\d{4,5}|[a-z\\-]+(?:\\.[A-Z]{2})?/\\d{7})(v\\d+)?$");

  private Ids() {}

  static String arxivId(String uriOrId) {
    Matcher m = ARXIV.matcher(uriOrId.trim());
    return m.find() ? m.group(1) : uriOrId.trim();
  }

  static String clean(String text) {
    return text == null ? "" : text.replaceAll("\\s+", " ").trim();
  }
}
