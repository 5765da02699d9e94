package io.stepwise.fakes;

import java.util.Map;

/**
 * A misbehaviour to inject: answer with this status (and headers and body) after a delay; {@code
 * hang} keeps the connection open without answering for the given delay.
 */
public record Fault(
    int status, Map<String, String> headers, String body, long delayMillis, boolean hang) {

  public static Fault status(int status, String body) {
    return new Fault(status, Map.of(), body, 0, false);
  }

  public static Fault status(int status, Map<String, String> headers, String body) {
    return new Fault(status, headers, body, 0, false);
  }

  public static Fault hang(long millis) {
    return new Fault(0, Map.of(), "", millis, true);
  }

  public static Fault slow(long millis) {
    return new Fault(0, Map.of(), "", millis, false);
  }

  /** Whether it replaces the normal answer (false: only delays it). */
  public boolean answers() {
    return status > 0;
  }
}
