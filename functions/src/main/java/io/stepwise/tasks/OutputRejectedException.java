package io.stepwise.tasks;

import java.util.List;

/** An edited step output breaks the step's rules (422): every broken rule, one sentence each. */
public class OutputRejectedException extends RuntimeException {

  private final List<String> violations;

  public OutputRejectedException(String step, List<String> violations) {
    super(
        "the new output of "
            + step
            + " breaks "
            + (violations.size() == 1 ? "one rule" : violations.size() + " rules")
            + "; nothing was stored: "
            + String.join("; ", violations));
    this.violations = List.copyOf(violations);
  }

  public List<String> violations() {
    return violations;
  }
}
