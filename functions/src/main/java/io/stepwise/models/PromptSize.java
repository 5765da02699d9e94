package io.stepwise.models;

/**
 * A request's size in tokens, estimated before it is sent, against the model's context window
 * ({@code stepwise.models.<name>.context-window}). No tokenizer: one token per CJK character or
 * other character outside Latin and common punctuation (tokenizers give such text about one token
 * per character), and one per four characters of the rest (the usual rule for English). A step
 * whose prompt is above {@link #SHRINK_ABOVE} of the window shortens it; the gateway refuses,
 * unsent, a request that does not fit at all.
 */
public final class PromptSize {

  /** The window a model has unless configured: today's common size. */
  public static final int DEFAULT_CONTEXT_WINDOW = 128_000;

  /** The smallest window a model may be configured with. */
  public static final int MIN_CONTEXT_WINDOW = 1_024;

  /** A step shrinks a prompt estimated above this share of the window. */
  public static final double SHRINK_ABOVE = 0.8;

  private PromptSize() {}

  /** The request's prompt: its system prompt and every message. */
  public static int estimate(ChatRequest request) {
    int tokens = estimate(request.system());
    for (ChatRequest.Message m : request.messages()) {
      tokens += estimate(m.content()) + 4; // each message's role and framing
    }
    return tokens;
  }

  public static int estimate(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    int wide = 0;
    int narrow = 0;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (c < 0x2000) {
        narrow++;
      } else {
        wide++;
      }
    }
    return wide + (narrow + 3) / 4;
  }

  /** The prompt tokens a step may use with this window and answer length before shrinking. */
  public static int promptBudget(int contextWindow, int maxTokens) {
    return Math.max(0, (int) (contextWindow * SHRINK_ABOVE) - maxTokens);
  }

  /**
   * The longest start of {@code text} estimated at no more than {@code tokens}, with an ellipsis
   * when cut; the text itself when it fits.
   */
  public static String cut(String text, int tokens) {
    if (text == null || estimate(text) <= tokens) {
      return text;
    }
    int low = 0;
    int high = text.length();
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (estimate(text.substring(0, mid)) + 1 <= tokens) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    if (low > 0 && Character.isHighSurrogate(text.charAt(low - 1))) {
      low--;
    }
    return text.substring(0, low) + "…";
  }
}
