package io.stepwise.models;

import io.micronaut.context.annotation.Value;
import io.stepwise.steps.errors.TransientStepException;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this function instance knows about each model's load: calls in flight, the provider's last
 * remaining-requests figure and the latency of its recent calls (an EMA). Every chat call holds a
 * {@link Slot}: at most the model's {@code max-in-flight} at once, and no more than the requests
 * the provider said remain (at least one, so the next answer can report that the window has reset).
 * The router reads the same figures for {@code least-busy} and {@code latency}. Nothing here is
 * shared between instances: each Lambda instance bounds its own calls, as each holds its own
 * connections.
 */
@Singleton
public class ModelLoad {

  private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();
  private final double alpha;

  public ModelLoad(@Value("${stepwise.health.ema-alpha:0.3}") double alpha) {
    this.alpha = alpha;
  }

  /** A held call; closing it frees the place. */
  public interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Waits up to {@code wait} for a place to call the model; none by then is a {@link
   * TransientStepException}.
   */
  public Slot acquire(ModelSpec model, Duration wait) {
    Gauge gauge = gauge(model);
    gauge.acquire(model, wait);
    return gauge::release;
  }

  public int inFlight(String name) {
    Gauge g = gauges.get(name);
    return g == null ? 0 : g.inFlight();
  }

  /** Whether a new call to the model would have to wait for a place. */
  public boolean saturated(ModelSpec model) {
    Gauge gauge = gauge(model);
    return gauge.inFlight() >= gauge.limit(model);
  }

  /** The EMA of this instance's successful calls to the model, if it made any. */
  public OptionalLong observedLatencyMs(String name) {
    Gauge g = gauges.get(name);
    return g == null ? OptionalLong.empty() : g.latency();
  }

  /**
   * Records an answered call: its duration and, when the provider sent one, its remaining-requests
   * figure.
   */
  public void observe(ModelSpec model, long durationMs, OptionalLong remainingRequests) {
    gauge(model).observe(durationMs, remainingRequests, alpha);
  }

  private Gauge gauge(ModelSpec model) {
    return gauges.computeIfAbsent(model.name(), n -> new Gauge());
  }

  /** One model's figures, guarded by its own monitor. */
  private static final class Gauge {
    private int inFlight;
    private long remaining = Long.MAX_VALUE;
    private double emaMs = -1;

    synchronized void acquire(ModelSpec model, Duration wait) {
      long deadline = System.nanoTime() + wait.toNanos();
      while (inFlight >= limit(model)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TransientStepException(
              model.name()
                  + " had no free call slot within "
                  + wait
                  + " ("
                  + inFlight
                  + " in flight, max-in-flight "
                  + model.maxInFlight()
                  + ")");
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new TransientStepException("interrupted while waiting to call " + model.name(), e);
        }
      }
      inFlight++;
    }

    synchronized void release() {
      inFlight--;
      notifyAll();
    }

    synchronized int inFlight() {
      return inFlight;
    }

    /** max-in-flight, lowered to the remaining requests when they run low (never below one). */
    synchronized int limit(ModelSpec model) {
      return (int) Math.max(1, Math.min(model.maxInFlight(), remaining));
    }

    synchronized OptionalLong latency() {
      return emaMs < 0 ? OptionalLong.empty() : OptionalLong.of(Math.round(emaMs));
    }

    synchronized void observe(long durationMs, OptionalLong remainingRequests, double alpha) {
      emaMs = emaMs < 0 ? durationMs : alpha * durationMs + (1 - alpha) * emaMs;
      if (remainingRequests.isPresent()) {
        remaining = remainingRequests.getAsLong();
        notifyAll();
      }
    }
  }
}
