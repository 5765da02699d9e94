package io.stepwise.usage;

import io.micronaut.json.tree.JsonNode;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * {@code budgetUsd}, the input field of every pipeline that caps what a task's model calls may cost
 * (none: no cap). It is the platform's, not the pipeline's: requests take it out before the
 * pipeline reads its own fields.
 */
public final class Budgets {

  public static final String FIELD = "budgetUsd";

  /** The largest budget a task may name, USD. */
  public static final BigDecimal MAX = new BigDecimal("10000");

  private Budgets() {}

  /**
   * The budget a request names; {@link IllegalArgumentException} with the message to answer when it
   * is not a number of USD above 0 and at most {@link #MAX}.
   */
  public static BigDecimal parse(JsonNode value, String path) {
    BigDecimal usd = null;
    if (value.isNumber()) {
      try {
        usd = new BigDecimal(value.getNumberValue().toString());
      } catch (NumberFormatException notFinite) {
        usd = null;
      }
    }
    if (usd == null || usd.signum() <= 0 || usd.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(
          "'"
              + path
              + FIELD
              + "' must be a number of USD above 0 and at most "
              + MAX.toPlainString());
    }
    return usd;
  }

  /**
   * A pipeline's default budget from configuration ({@code stepwise.pipelines.<name>.budget-usd});
   * a value that is not one stops the start, naming the key.
   */
  public static BigDecimal configured(String key, String value) {
    BigDecimal usd;
    try {
      usd = new BigDecimal(value.strip());
    } catch (NumberFormatException e) {
      usd = null;
    }
    if (usd == null || usd.signum() <= 0 || usd.compareTo(MAX) > 0) {
      throw new IllegalStateException(
          key
              + " must be a number of USD above 0 and at most "
              + MAX.toPlainString()
              + ", not "
              + value);
    }
    return usd;
  }

  /** The budget a stored task input carries, if any. */
  public static Optional<BigDecimal> of(JsonNode input) {
    JsonNode value = input == null ? null : input.get(FIELD);
    return value == null || !value.isNumber()
        ? Optional.empty()
        : Optional.of(new BigDecimal(value.getNumberValue().toString()));
  }
}
