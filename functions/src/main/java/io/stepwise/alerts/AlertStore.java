package io.stepwise.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Where alert states and transitions live (the state table's {@code ALERT#<rule>} items). */
public interface AlertStore {

  /** Every rule's state ({@link AlertState#never} for one never stored) and its newest history. */
  record Snapshot(Map<AlertRule, AlertState> states, List<Transition> history) {}

  /**
   * Every rule's state and the newest {@code limit} transitions of all rules together, newest
   * first, expired ones left out.
   */
  Snapshot read(int limit);

  /**
   * Stores {@code after} and its transition together, only if the stored state is still {@code
   * before} (its version): false, writing nothing, when another evaluation got there first.
   */
  boolean transition(AlertState before, AlertState after, Transition transition);

  /** The value and evaluation time of a rule that stays active; nothing else changes. */
  void refresh(AlertRule rule, Double value, Instant evaluatedAt);

  /** Adds a transition that no state decides (a model's status change); idempotent per id. */
  void record(Transition transition);

  /** The webhook took this transition: it is no longer pending. */
  void delivered(Transition transition);
}
