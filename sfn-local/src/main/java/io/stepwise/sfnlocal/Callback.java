package io.stepwise.sfnlocal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;

/**
 * One callback task ({@code .waitForTaskToken}) of an execution: its token, where it is ({@code
 * key}: the state name, behind the Parallel branch or Map iteration it runs in, e.g. {@code
 * Fan#1/Approve}), its deadlines, and how it ended. It ends once, by the first of: SendTaskSuccess,
 * SendTaskFailure, its heartbeat or overall timeout, or the execution ending (stopped, timed out,
 * failed elsewhere). Every method that reads or changes the outcome or the heartbeat clock is
 * called under the execution's lock, so that exactly one of them wins; {@link #done} tells the
 * waiting thread.
 */
final class Callback {

  static final int NO_TIMEOUT = 99999999;

  enum Kind {
    SUCCEEDED,
    FAILED,
    HEARTBEAT_TIMEOUT,
    TIMEOUT,
    /** The execution ended, or the state was left, while the task waited. */
    CLOSED
  }

  record Outcome(Kind kind, JsonNode output, String error, String cause) {
    static Outcome succeeded(JsonNode output) {
      return new Outcome(Kind.SUCCEEDED, output, null, null);
    }

    static Outcome failed(String error, String cause) {
      return new Outcome(Kind.FAILED, null, error, cause);
    }

    static Outcome closed() {
      return new Outcome(Kind.CLOSED, null, null, null);
    }
  }

  final String token;
  final String key;
  final int timeoutSeconds;
  final int heartbeatSeconds;

  /** Epoch millis when the task times out (TimeoutSeconds after it started). */
  final long timeoutAt;

  /** Epoch millis when the task times out without a heartbeat. */
  private long heartbeatAt;

  private Outcome outcome;

  /** The waiting thread has taken the outcome (and recorded its event). */
  boolean consumed;

  /**
   * Read back from the state directory and to be picked up, token unchanged, by the resumed run
   * when it reaches {@link #key}.
   */
  boolean restored;

  /** Picked up by a resumed run: the task was scheduled before the restart; only wait. */
  boolean resumedWait;

  final CompletableFuture<Outcome> done = new CompletableFuture<>();

  Callback(String token, String key, int timeoutSeconds, int heartbeatSeconds, long timeoutAt) {
    this.token = token;
    this.key = key;
    this.timeoutSeconds = timeoutSeconds;
    this.heartbeatSeconds = heartbeatSeconds;
    this.timeoutAt = timeoutAt;
    beat(System.currentTimeMillis());
  }

  static long deadline(long from, int seconds) {
    return seconds == NO_TIMEOUT ? Long.MAX_VALUE : from + seconds * 1000L;
  }

  /** Restarts the heartbeat clock. */
  void beat(long now) {
    heartbeatAt = deadline(now, heartbeatSeconds);
  }

  Outcome outcome() {
    return outcome;
  }

  /** Ends the task with this outcome unless it has ended already; whether this call ended it. */
  boolean close(Outcome o) {
    if (outcome != null) {
      return false;
    }
    outcome = o;
    done.complete(o);
    return true;
  }

  /**
   * The outcome, after ending the task with a timeout if a deadline has passed; null while it still
   * waits.
   */
  Outcome expire(long now) {
    if (outcome == null && now >= timeoutAt) {
      close(
          new Outcome(
              Kind.TIMEOUT,
              null,
              "States.Timeout",
              "Task timed out after " + timeoutSeconds + " seconds"));
    } else if (outcome == null && now >= heartbeatAt) {
      close(
          new Outcome(
              Kind.HEARTBEAT_TIMEOUT,
              null,
              "States.HeartbeatTimeout",
              "No heartbeat within " + heartbeatSeconds + " seconds"));
    }
    return outcome;
  }

  /**
   * Millis until the next deadline that can end the task: the overall timeout once it has an
   * outcome, else the nearer of both.
   */
  long millisToDeadline(long now) {
    long until = outcome != null ? timeoutAt : Math.min(timeoutAt, heartbeatAt);
    return until == Long.MAX_VALUE ? Long.MAX_VALUE : until - now;
  }
}
