package io.stepwise.models;

/**
 * Tokens estimated from text when a provider reports none: about four characters a token (OpenAI's
 * rule of thumb for English; CJK text runs closer to one character a token, so a code point outside
 * Latin scripts counts as one). An estimate, flagged as such wherever it is shown.
 */
public final class TokenEstimate {

  private TokenEstimate() {}

  public static int of(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    long latin = text.codePoints().filter(c -> c < 0x2E80).count();
    long wide = text.codePoints().count() - latin;
    return (int) Math.min(Integer.MAX_VALUE, (latin + 3) / 4 + wide);
  }

  /** The request's prompt: the system prompt and every message. */
  public static int of(ChatRequest request) {
    long n = of(request.system());
    for (ChatRequest.Message m : request.messages()) {
      n += of(m.content());
    }
    return (int) Math.min(Integer.MAX_VALUE, n);
  }
}
