package io.stepwise.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Everything the tests saw leave the system as text: every log line (through {@link
 * CapturingAppender}) and every API response (through {@link ApiClient}). {@link KeyLeakGuard}
 * fails the test during which a configured test key or secret shows up in any of them.
 */
public final class LeakScan {

  /** The secrets configured for the tests; none may ever be seen in full. */
  public static final List<String> SECRETS =
      List.of(
          LocalServicesBase.OPENAI_KEY,
          LocalServicesBase.ANTHROPIC_KEY,
          LocalServicesBase.WEBHOOK_SECRET);

  private static final Queue<String[]> SEEN = new ConcurrentLinkedQueue<>();

  private LeakScan() {}

  public static void record(String origin, String text) {
    if (text != null) {
      SEEN.add(new String[] {origin, text});
    }
  }

  /** The leaks seen since the last call ({@code origin: secret}), forgetting what was scanned. */
  public static List<String> drainLeaks() {
    List<String> leaks = new ArrayList<>();
    String[] entry;
    while ((entry = SEEN.poll()) != null) {
      for (String secret : SECRETS) {
        if (entry[1].contains(secret)) {
          leaks.add(
              entry[0]
                  + " contains the configured secret ending "
                  + secret.substring(secret.length() - 4));
        }
      }
    }
    return leaks;
  }
}
