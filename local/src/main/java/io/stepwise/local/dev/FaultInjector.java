package io.stepwise.local.dev;

import io.micronaut.context.annotation.Requires;
import io.stepwise.steps.errors.StepException;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.steps.errors.TransientStepException;
import jakarta.inject.Singleton;
import java.net.http.HttpTimeoutException;
import java.util.HashMap;
import java.util.Map;

/**
 * Faults queued for step bodies (local environment only): the next N runs of a step's body fail
 * that way, in any task or in one task only. Steps are named by their wire names, in whichever
 * pipeline has them. A task's own fault is used before one for every task.
 */
@Singleton
@Requires(env = "local")
public class FaultInjector {

  /** How an injected fault fails: a retryable error, a terminal one, or a timeout (retryable). */
  public enum Kind {
    TRANSIENT,
    TERMINAL,
    TIMEOUT
  }

  private record Pending(Kind kind, int remaining) {}

  /** A step, in one task ({@code taskId}) or in every task (null). */
  private record Target(String step, String taskId) {}

  private final Map<Target, Pending> pending = new HashMap<>();

  public synchronized void inject(String step, Kind kind, int times) {
    inject(step, null, kind, times);
  }

  /**
   * @param taskId the one task whose step fails, or null for every task
   */
  public synchronized void inject(String step, String taskId, Kind kind, int times) {
    pending.put(new Target(step, taskId), new Pending(kind, times));
  }

  public synchronized void clear() {
    pending.clear();
  }

  /** Throws the next queued fault for this step of this task, if any, using it up. */
  synchronized void maybeFail(String step, String taskId) {
    Target target = new Target(step, taskId);
    if (!pending.containsKey(target)) {
      target = new Target(step, null);
    }
    Pending fault = pending.get(target);
    if (fault == null) {
      return;
    }
    if (fault.remaining() <= 1) {
      pending.remove(target);
    } else {
      pending.put(target, new Pending(fault.kind(), fault.remaining() - 1));
    }
    throw error(step, fault.kind());
  }

  private static StepException error(String step, Kind kind) {
    return switch (kind) {
      case TRANSIENT -> new TransientStepException("injected transient fault at " + step);
      case TERMINAL -> new TerminalStepException("injected terminal fault at " + step);
      case TIMEOUT ->
          new TransientStepException(
              "injected timeout at " + step, new HttpTimeoutException("injected"));
    };
  }
}
