package io.stepwise.model;

/**
 * A step's model calls over every invocation of it for the task: {@code paid}, what its calls cost
 * (those whose results were kept as items included), and {@code saved}, what the kept items an
 * invocation reused instead of calling again had cost. {@code through} is the last execution whose
 * calls are in {@code paid}: items kept by an invocation that never recorded its end (a crash) are
 * added to {@code paid} by the next invocation that finds them.
 */
public record StepUsage(Usage paid, Usage saved, int through) {

  public static final StepUsage NONE = new StepUsage(Usage.NONE, Usage.NONE, 0);
}
