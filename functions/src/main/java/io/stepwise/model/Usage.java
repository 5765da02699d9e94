package io.stepwise.model;

/**
 * What model calls cost: how many calls, the tokens they used as the provider reported them ({@code
 * estimatedCalls} of them estimated because the provider did not say), and their cost in USD from
 * the model's configured prices.
 */
public record Usage(
    int calls, long inputTokens, long outputTokens, double costUsd, int estimatedCalls) {

  public static final Usage NONE = new Usage(0, 0, 0, 0, 0);

  public Usage plus(Usage other) {
    if (other == null) {
      return this;
    }
    return new Usage(
        calls + other.calls,
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        costUsd + other.costUsd,
        estimatedCalls + other.estimatedCalls);
  }

  public static Usage orNone(Usage usage) {
    return usage == null ? NONE : usage;
  }
}
