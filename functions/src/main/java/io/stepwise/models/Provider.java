package io.stepwise.models;

import java.util.Locale;

/** The wire protocol a model speaks. */
public enum Provider {
  /**
   * {@code POST /chat/completions}: OpenAI, DeepSeek, Qwen (DashScope compatible mode), Moonshot,
   * Ollama, Gemini.
   */
  OPENAI_COMPATIBLE("openai-compatible"),
  /** {@code POST /messages}: Anthropic. */
  ANTHROPIC("anthropic");

  private final String wire;

  Provider(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Provider parse(String value) {
    for (Provider p : values()) {
      if (p.wire.equals(value.toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown provider '" + value + "'; use openai-compatible or anthropic");
  }
}
