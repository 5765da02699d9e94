package io.stepwise.alerts;

import io.stepwise.health.HealthStatus;
import io.stepwise.health.HealthStore;
import io.stepwise.metrics.FinishedTask;
import io.stepwise.metrics.FinishedTasks;
import io.stepwise.model.TaskStatus;
import io.stepwise.models.ModelCatalog;
import io.stepwise.models.ModelSpec;
import io.stepwise.tasks.TaskRepository;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Reads the figures the rules judge, from the same places the API and the metrics read them: tasks
 * that finished in a window from the by-status index ({@link FinishedTasks}, as {@code GET
 * /api/metrics}), quiet running tasks ({@link TaskRepository#quietSince}, as the reconciler), the
 * pending count, and the models' latest health.
 */
@Singleton
public class AlertSignals {

  /** Stuck tasks counted at most (the rule needs one; the value says "at least" beyond it). */
  static final int STUCK_LIMIT = 1000;

  private final FinishedTasks finished;
  private final TaskRepository tasks;
  private final HealthStore health;
  private final ModelCatalog catalog;
  private final AlertConfig config;

  public AlertSignals(
      FinishedTasks finished,
      TaskRepository tasks,
      HealthStore health,
      ModelCatalog catalog,
      AlertConfig config) {
    this.finished = finished;
    this.tasks = tasks;
    this.health = health;
    this.catalog = catalog;
    this.config = config;
  }

  /** Every rule's reading at {@code now}, in rule order. */
  public List<Reading> read(Instant now) {
    return List.of(failureRate(now), slowTasks(now), stuckTasks(now), backlog(), modelHealth());
  }

  Reading failureRate(Instant now) {
    Instant from = now.minus(config.failureRateWindow());
    long succeeded = finished.between(TaskStatus.SUCCEEDED, from, now).size();
    long failed = finished.between(TaskStatus.FAILED, from, now).size();
    long decided = succeeded + failed;
    double threshold = config.failureRatePercent();
    if (decided == 0) {
      return new Reading(AlertRule.FAILURE_RATE, null, threshold, false);
    }
    double percent = round(100.0 * failed / decided);
    boolean enough = decided >= config.failureRateMinTasks();
    return new Reading(AlertRule.FAILURE_RATE, percent, threshold, enough && percent > threshold);
  }

  Reading slowTasks(Instant now) {
    List<FinishedTask> succeeded =
        finished.between(TaskStatus.SUCCEEDED, now.minus(config.slowTasksWindow()), now);
    OptionalDouble average = succeeded.stream().mapToLong(t -> t.duration().toMillis()).average();
    double threshold = config.slowTasksThreshold().toMillis();
    if (average.isEmpty()) {
      return new Reading(AlertRule.SLOW_TASKS, null, threshold, false);
    }
    double ms = Math.round(average.getAsDouble());
    return new Reading(AlertRule.SLOW_TASKS, ms, threshold, ms > threshold);
  }

  Reading stuckTasks(Instant now) {
    int stuck =
        tasks.quietSince(TaskStatus.RUNNING, now.minus(config.stuckAfter()), STUCK_LIMIT).size();
    return new Reading(AlertRule.STUCK_TASKS, (double) stuck, 0, stuck > 0);
  }

  Reading backlog() {
    long pending = tasks.count(TaskStatus.PENDING);
    return new Reading(
        AlertRule.BACKLOG,
        (double) pending,
        config.backlogThreshold(),
        pending > config.backlogThreshold());
  }

  Reading modelHealth() {
    List<String> enabled =
        catalog.all().stream().filter(ModelSpec::enabled).map(ModelSpec::name).toList();
    long unhealthy =
        health.latest(enabled).values().stream()
            .filter(h -> h.status() == HealthStatus.UNHEALTHY)
            .count();
    return new Reading(AlertRule.MODEL_HEALTH, (double) unhealthy, 0, unhealthy > 0);
  }

  private static double round(double percent) {
    return Math.round(percent * 10) / 10.0;
  }
}
