package io.stepwise.model;

import java.util.List;

/**
 * The items a per-item step set out to finish in one run (stored keys, scope included). It travels
 * with the first item record the step writes in an invocation, so progress costs no write of its
 * own.
 */
public record ItemPlan(String step, String runId, List<String> itemKeys) {

  public ItemPlan {
    itemKeys = List.copyOf(itemKeys);
  }
}
