package io.stepwise.health;

import io.micronaut.core.annotation.Nullable;

/**
 * One probe of one model. {@code errorCode} is one of {@code timeout}, {@code connection}, {@code
 * auth} (401/403), {@code billing} (402), {@code rate_limited} (429), {@code http_<status>}, {@code
 * bad_response}; the message is already free of secrets. Quota comes from the rate-limit headers
 * when the provider sends them.
 */
public record ProbeResult(
    boolean ok,
    long latencyMs,
    @Nullable String errorCode,
    @Nullable String errorMessage,
    @Nullable Long quotaRemaining,
    @Nullable Long quotaLimit) {

  public static ProbeResult success(
      long latencyMs, @Nullable Long quotaRemaining, @Nullable Long quotaLimit) {
    return new ProbeResult(true, latencyMs, null, null, quotaRemaining, quotaLimit);
  }

  public static ProbeResult failure(long latencyMs, String code, String message) {
    return new ProbeResult(false, latencyMs, code, message, null, null);
  }

  public ProbeResult withQuota(@Nullable Long remaining, @Nullable Long limit) {
    return new ProbeResult(ok, latencyMs, errorCode, errorMessage, remaining, limit);
  }

  /** Errors no retry can fix: the key is wrong or the account cannot pay. */
  /**
   * A failure waiting does not fix: a wrong key, an empty account, or no key at all (the model is
   * unhealthy at once, not degraded).
   */
  public boolean accountError() {
    return "auth".equals(errorCode)
        || "billing".equals(errorCode)
        || "key_unavailable".equals(errorCode);
  }
}
