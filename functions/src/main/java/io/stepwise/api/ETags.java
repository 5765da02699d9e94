package io.stepwise.api;

import io.stepwise.tenancy.Caller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Entity tags of the polled reads, derived from the JSON body and the caller: the same body for
 * another caller gets another tag, so a cached body and its tag are never valid across users. Weak
 * ({@code W/"..."}): the tag names the JSON this API produced, not the bytes a proxy may
 * recompress, and {@code If-None-Match} compares weakly anyway (RFC 9110 §13.1.2); nothing here
 * needs a strong validator (no ranges, no {@code If-Match}).
 */
final class ETags {

  /**
   * The reads a dashboard polls: a task, its checkpoints, the task list and counts, a batch, the
   * models' health.
   */
  static final List<Pattern> COVERED =
      List.of(
          Pattern.compile("/api/tasks"),
          Pattern.compile("/api/tasks/[^/]+"),
          Pattern.compile("/api/tasks/[^/]+/checkpoint"),
          Pattern.compile("/api/batches/[^/]+"),
          Pattern.compile("/api/models/health"));

  private ETags() {}

  static boolean covers(String path) {
    return COVERED.stream().anyMatch(p -> p.matcher(path).matches());
  }

  static String of(Caller caller, byte[] body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(
          (caller.sub() == null
                  ? "open"
                  : (caller.operator() ? "operator:" : "user:") + caller.sub())
              .getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      byte[] digest = sha.digest(body);
      return "W/\""
          + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 18))
          + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Whether an {@code If-None-Match} header names {@code tag}: {@code *}, or a listed tag compared
   * weakly.
   */
  static boolean matches(String ifNoneMatch, String tag) {
    if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
      return false;
    }
    String opaque = opaque(tag);
    for (String candidate : ifNoneMatch.split(",")) {
      String trimmed = candidate.trim();
      if (trimmed.equals("*") || opaque(trimmed).equals(opaque)) {
        return true;
      }
    }
    return false;
  }

  private static String opaque(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }
}
