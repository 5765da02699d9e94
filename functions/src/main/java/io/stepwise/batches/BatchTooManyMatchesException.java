package io.stepwise.batches;

/** A bulk recovery whose filter matches more tasks than one request may retry (422). */
public class BatchTooManyMatchesException extends RuntimeException {

  public BatchTooManyMatchesException(int max) {
    super(
        "more than "
            + max
            + " tasks match; narrow the filter (e.g. 'since' and 'until') and retry in parts");
  }
}
