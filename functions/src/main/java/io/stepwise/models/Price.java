package io.stepwise.models;

import io.stepwise.model.Usage;
import java.util.Map;

/**
 * A model's prices in USD per million tokens ({@code
 * stepwise.models.<name>.price.input-per-million}, {@code .output-per-million}; none configured:
 * free).
 */
public record Price(double inputPerMillion, double outputPerMillion) {

  public static final Price FREE = new Price(0, 0);

  /** What one call cost: its tokens at these prices. */
  public Usage usage(long inputTokens, long outputTokens, boolean estimated) {
    double cost = (inputTokens * inputPerMillion + outputTokens * outputPerMillion) / 1_000_000d;
    return new Usage(1, inputTokens, outputTokens, cost, estimated ? 1 : 0);
  }

  /** {@code price.*} of one model; an unknown key or a negative or non-numeric price is refused. */
  static Price of(String model, Map<String, Object> price) {
    double in = 0;
    double out = 0;
    for (Map.Entry<String, Object> e : price.entrySet()) {
      double value = number(model, e.getKey(), e.getValue());
      switch (e.getKey()) {
        case "input-per-million" -> in = value;
        case "output-per-million" -> out = value;
        default ->
            throw new IllegalStateException(
                "model "
                    + model
                    + " price."
                    + e.getKey()
                    + " is not a setting: use price.input-per-million and price.output-per-million (USD)");
      }
    }
    return new Price(in, out);
  }

  private static double number(String model, String key, Object value) {
    double n;
    try {
      n = Double.parseDouble(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      n = Double.NaN;
    }
    if (!(n >= 0) || Double.isInfinite(n)) {
      throw new IllegalStateException(
          "model " + model + " price." + key + " must be a number of USD, 0 or more: " + value);
    }
    return n;
  }
}
