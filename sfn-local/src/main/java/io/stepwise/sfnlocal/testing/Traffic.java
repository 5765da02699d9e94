package io.stepwise.sfnlocal.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepwise.sfnlocal.RequestHook;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a test wants to know of, and do to, the requests a client sends: every request as received,
 * the next calls of an operation answered with an AWS error (e.g. {@code ThrottlingException}),
 * added latency, and the most calls of an operation that were in flight at once.
 */
public final class Traffic implements RequestHook {

  /** One request as received. */
  public record Call(String operation, JsonNode body) {}

  private record Failure(int httpStatus, String errorName, String message) {}

  private final List<Call> calls = new ArrayList<>();
  private final Map<String, Queue<Failure>> failures = new HashMap<>();
  private final Map<String, Long> latencyMs = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, Integer> maxInFlight = new ConcurrentHashMap<>();

  @Override
  public void before(String operation, JsonNode request) {
    int now = inFlight.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
    maxInFlight.merge(operation, now, Math::max);
    delay(latencyMs.getOrDefault(operation, 0L));
    Failure failure;
    synchronized (this) {
      calls.add(new Call(operation, request));
      Queue<Failure> queued = failures.get(operation);
      failure = queued == null ? null : queued.poll();
    }
    if (failure != null) {
      throw new Refusal(failure.httpStatus(), failure.errorName(), failure.message());
    }
  }

  @Override
  public void after(String operation) {
    AtomicInteger count = inFlight.get(operation);
    if (count != null) {
      count.decrementAndGet();
    }
  }

  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  public synchronized List<Call> calls(String operation) {
    return calls.stream().filter(c -> c.operation().equals(operation)).toList();
  }

  /**
   * The next call of {@code operation} is answered with this error instead; queue several to fail
   * several calls.
   */
  public synchronized void failNext(
      String operation, int httpStatus, String errorName, String message) {
    failures
        .computeIfAbsent(operation, o -> new ArrayDeque<>())
        .add(new Failure(httpStatus, errorName, message));
  }

  /** Drops the queued failures that were not consumed. */
  public synchronized void clearFailures() {
    failures.clear();
  }

  /**
   * Every later call of {@code operation} takes this much longer to answer, so that concurrent
   * calls overlap measurably; {@link #maxConcurrent} starts counting afresh.
   */
  public void latency(String operation, long millis) {
    latencyMs.put(operation, millis);
    maxInFlight.remove(operation);
  }

  /** The most calls of {@code operation} that were in progress at the same time. */
  public int maxConcurrent(String operation) {
    return maxInFlight.getOrDefault(operation, 0);
  }

  private static void delay(long millis) {
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
