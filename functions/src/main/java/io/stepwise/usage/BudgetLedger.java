package io.stepwise.usage;

import java.math.BigDecimal;

/**
 * A task's model spend against its {@code budgetUsd}, on the task item: {@code committedUsd} (spent
 * plus reserved), {@code reservedUsd} and {@code spentUsd}. A call reserves its worst case before
 * it is sent, with one conditional update that succeeds only while what is committed leaves room
 * for it, so parallel calls of one task never commit more than the budget; it settles its actual
 * cost after. A reservation a crash never settles stays counted: the budget errs on the side of
 * spending less.
 */
public interface BudgetLedger {

  /** Reserves {@code worstUsd}; false, with nothing changed, when the budget has no room for it. */
  boolean reserve(String taskId, BigDecimal worstUsd, BigDecimal budgetUsd);

  /** Replaces a reservation by what the call actually cost (zero for a call that failed). */
  void settle(String taskId, BigDecimal reservedUsd, BigDecimal actualUsd);

  /** What the task has spent and has reserved now. */
  Spend spend(String taskId);

  /** A task's spend. */
  record Spend(BigDecimal spentUsd, BigDecimal reservedUsd) {}
}
