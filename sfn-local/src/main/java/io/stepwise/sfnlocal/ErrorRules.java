package io.stepwise.sfnlocal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * Which Retrier or Catcher an error matches, by the States Language's rules: a name matches itself;
 * {@code States.ALL} matches any error except the terminal ones ({@code States.Runtime}, {@code
 * States.DataLimitExceeded}), which nothing retries or catches; {@code States.TaskFailed} matches
 * any error but the timeouts; {@code States.Timeout} also matches a heartbeat timeout. An error
 * without a name (SendTaskFailure without {@code error}) matches only those two.
 */
final class ErrorRules {

  /**
   * Errors that always fail the execution: never retried, never caught, whatever the rule names.
   */
  static final Set<String> TERMINAL = Set.of("States.Runtime", "States.DataLimitExceeded");

  private ErrorRules() {}

  /** The index of the first rule whose ErrorEquals matches, or -1. */
  static int matching(List<JsonNode> rules, String error) {
    if (error != null && TERMINAL.contains(error)) {
      return -1;
    }
    for (int i = 0; i < rules.size(); i++) {
      for (JsonNode name : rules.get(i).path("ErrorEquals")) {
        if (matches(name.asText(), error)) {
          return i;
        }
      }
    }
    return -1;
  }

  private static boolean matches(String rule, String error) {
    return rule.equals(error)
        || rule.equals("States.ALL")
        || error == null && rule.equals("States.TaskFailed")
        || rule.equals("States.TaskFailed")
            && error != null
            && !error.equals("States.Timeout")
            && !error.equals("States.HeartbeatTimeout")
        || rule.equals("States.Timeout") && "States.HeartbeatTimeout".equals(error);
  }
}
