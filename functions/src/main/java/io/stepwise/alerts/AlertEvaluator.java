package io.stepwise.alerts;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One evaluation of every rule: read the figures, compare each with its rule's stored state, store
 * a transition where a rule fired or cleared, write the gauges, and hand pending transitions to the
 * webhook. The same code runs on AWS (the {@code alerts} function, {@code rate(1 minute)}) and in
 * the local runtime (its schedule), against the same state table.
 *
 * <p>Safe to run twice at once: a transition is a conditional write on the state it was decided
 * from, so two evaluations store it once; the loser only refreshes nothing.
 */
@Singleton
public class AlertEvaluator {

  /** Transitions the API shows and the webhook looks through for pending ones. */
  public static final int HISTORY_LIMIT = 100;

  private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);

  private final AlertSignals signals;
  private final AlertStore store;
  private final AlertMetrics metrics;
  private final AlertWebhook webhook;
  private final Clock clock;

  public AlertEvaluator(
      AlertSignals signals,
      AlertStore store,
      AlertMetrics metrics,
      AlertWebhook webhook,
      Clock clock) {
    this.signals = signals;
    this.store = store;
    this.metrics = metrics;
    this.webhook = webhook;
    this.clock = clock;
  }

  /** What one evaluation found and did. */
  @Serdeable
  public record Report(List<String> active, List<String> fired, List<String> cleared, int sent) {}

  public Report evaluate() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    AlertStore.Snapshot before = store.read(HISTORY_LIMIT);
    List<Reading> readings = signals.read(now);
    metrics.emit(readings, now);
    List<String> active = new ArrayList<>();
    List<String> fired = new ArrayList<>();
    List<String> cleared = new ArrayList<>();
    List<Transition> pending =
        new ArrayList<>(before.history().stream().filter(Transition::pending).toList());
    for (Reading reading : readings) {
      AlertRule rule = reading.rule();
      AlertState state = before.states().getOrDefault(rule, AlertState.never(rule));
      if (reading.breached()) {
        active.add(rule.wire());
      }
      if (reading.breached() == state.active()) {
        if (state.active()) {
          store.refresh(rule, reading.value(), now);
        }
        continue;
      }
      AlertState after =
          new AlertState(
              rule,
              reading.breached(),
              reading.breached() ? now : null,
              reading.value(),
              reading.threshold(),
              now,
              state.version() + 1);
      Transition transition =
          new Transition(
              rule,
              reading.breached() ? Transition.Event.FIRED : Transition.Event.CLEARED,
              now,
              reading.value(),
              reading.threshold(),
              null,
              null,
              null,
              webhook.configured());
      if (!store.transition(state, after, transition)) {
        continue; // another evaluation stored this change first
      }
      log(transition, state);
      (reading.breached() ? fired : cleared).add(rule.wire());
      if (transition.pending()) {
        pending.add(transition);
      }
    }
    pending.sort(Comparator.comparing(Transition::at));
    int sent = webhook.configured() ? webhook.deliver(pending, store) : 0;
    return new Report(active, fired, cleared, sent);
  }

  private static void log(Transition t, AlertState before) {
    if (t.event() == Transition.Event.FIRED) {
      LOG.warn(
          "alert {} fired: {} {} is over the threshold {}",
          t.rule().wire(),
          t.value(),
          t.rule().unit(),
          t.threshold());
    } else {
      LOG.info(
          "alert {} cleared: {} (threshold {}), active since {}",
          t.rule().wire(),
          t.value() == null ? "nothing to judge" : t.value() + " " + t.rule().unit(),
          t.threshold(),
          before.since());
    }
  }
}
