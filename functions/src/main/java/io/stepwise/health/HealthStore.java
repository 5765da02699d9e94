package io.stepwise.health;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Where model health lives (the state table's {@code MODEL#<name>} items). */
public interface HealthStore {

  /** The latest state of each named model; a model never checked is {@link ModelHealth#unknown}. */
  Map<String, ModelHealth> latest(Collection<String> names);

  /**
   * Stores a new latest state and its history item, only if the latest state is still the one the
   * caller read ({@code previousCheckedAt}, null for never checked). False, writing nothing, when
   * another sweep got there first: that is what keeps one result per model when several sweeps run
   * at once.
   */
  boolean record(ModelHealth next, Instant previousCheckedAt, HealthCheckRecord check);

  /** The newest history entries first, at most {@code limit}, expired ones left out. */
  List<HealthCheckRecord> history(String name, int limit);

  /** Puts the model in cooldown until {@code until}; a longer cooldown already set is kept. */
  void coolDown(String name, Instant until);
}
