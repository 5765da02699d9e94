package io.stepwise.steps;

import io.stepwise.logging.LogContext;
import io.stepwise.usage.UsageScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The one bounded-parallel helper: a step's items, a batch's tasks. Runs per-item work at most
 * {@code concurrency} at a time and waits for all of it, so that one item's failure never abandons
 * the others mid-way (each keeps its own result as it finishes). The threads live only for the call
 * and are daemons: nothing is left running when a Lambda invocation returns or its instance is
 * frozen. One item, or a concurrency of one, runs on the caller's thread.
 */
public final class BoundedParallel {

  private BoundedParallel() {}

  /** What one item came to: its value, or the runtime exception it threw. */
  public record Outcome<O>(O value, RuntimeException error) {
    public boolean failed() {
      return error != null;
    }
  }

  public static <I, O> List<Outcome<O>> map(List<I> items, int concurrency, Function<I, O> work) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    UsageScope usage = UsageScope.current();
    if (items.size() <= 1 || concurrency == 1) {
      return items.stream().map(item -> run(work, item, usage)).toList();
    }
    int threads = Math.min(concurrency, items.size());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "step-item");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<Outcome<O>>> futures = new ArrayList<>();
      Map<String, String> logFields = LogContext.capture();
      for (I item : items) {
        futures.add(
            pool.submit(
                () -> {
                  try (LogContext fields = LogContext.with(logFields)) {
                    return run(work, item, usage);
                  }
                }));
      }
      List<Outcome<O>> outcomes = new ArrayList<>();
      for (Future<Outcome<O>> f : futures) {
        outcomes.add(join(f));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
      awaitQuietly(pool);
    }
  }

  /**
   * The same, for work that reports its own failures in its result: the values in item order, or,
   * once every item has finished, the first exception an item threw.
   */
  public static <I, O> List<O> mapAll(List<I> items, int concurrency, Function<I, O> work) {
    List<Outcome<O>> outcomes = map(items, concurrency, work);
    for (Outcome<O> outcome : outcomes) {
      if (outcome.failed()) {
        throw outcome.error();
      }
    }
    return outcomes.stream().map(Outcome::value).toList();
  }

  /** Each item's model calls are added up in a scope of their own, inside the caller's. */
  private static <I, O> Outcome<O> run(Function<I, O> work, I item, UsageScope usage) {
    try (UsageScope itemScope = UsageScope.item(usage)) {
      return new Outcome<>(work.apply(item), null);
    } catch (RuntimeException e) {
      return new Outcome<>(null, e);
    }
  }

  private static <O> Outcome<O> join(Future<Outcome<O>> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the step's items", e);
    } catch (ExecutionException e) {
      // run() catches every RuntimeException; what is left is an Error, which must not be
      // swallowed.
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static void awaitQuietly(ExecutorService pool) {
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
