package io.stepwise.alerts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.stepwise.model.Times;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * {@code GET /api/alerts}: the rules with their thresholds, the active alerts, and the newest
 * transitions. Read from the state table (what the last evaluation stored), never evaluated here:
 * the API is another function than the one that evaluates.
 */
@Singleton
public class AlertOverview {

  /** One rule: its threshold in its unit, and the period it looks at (null: the present). */
  @Serdeable
  public record Rule(String rule, double threshold, String unit, @Nullable String window) {}

  /** An active alert: since when, its last value, its threshold. */
  @Serdeable
  public record Active(
      String rule, String since, @Nullable Double value, double threshold, String unit) {}

  /** A transition; {@code model}, {@code from}, {@code to} for a model's status change only. */
  @Serdeable
  public record Entry(
      String rule,
      String event,
      String at,
      @Nullable Double value,
      @Nullable Double threshold,
      @Nullable String model,
      @Nullable String from,
      @Nullable String to) {}

  /** The rules with their thresholds, the active alerts, the newest transitions first. */
  @Serdeable
  public record Alerts(List<Rule> rules, List<Active> active, List<Entry> history) {}

  private final AlertStore store;
  private final AlertConfig config;

  public AlertOverview(AlertStore store, AlertConfig config) {
    this.store = store;
    this.config = config;
  }

  public Alerts now() {
    AlertStore.Snapshot snapshot = store.read(AlertEvaluator.HISTORY_LIMIT);
    List<Rule> rules =
        Arrays.stream(AlertRule.values())
            .map(
                r -> {
                  Duration window = config.window(r);
                  return new Rule(
                      r.wire(),
                      config.threshold(r),
                      r.unit(),
                      window == null ? null : AlertConfig.label(window));
                })
            .toList();
    List<Active> active =
        snapshot.states().values().stream()
            .filter(AlertState::active)
            .map(
                s ->
                    new Active(
                        s.rule().wire(),
                        Times.format(s.since()),
                        s.value(),
                        s.threshold(),
                        s.rule().unit()))
            .toList();
    List<Entry> history =
        snapshot.history().stream()
            .map(
                t ->
                    new Entry(
                        t.rule().wire(),
                        t.event().wire(),
                        Times.format(t.at()),
                        t.value(),
                        t.threshold(),
                        t.model(),
                        t.from(),
                        t.to()))
            .toList();
    return new Alerts(rules, active, history);
  }
}
