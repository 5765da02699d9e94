package io.stepwise.model;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/**
 * A task's review: the output of {@code step} waits for a person since {@code since}, until {@code
 * expiresAt}; {@code token} is the execution's task token (sent back with the decision, never
 * shown). Once decided, {@code decision} ({@code approve} or {@code reject}), who, when and the
 * comment are kept, and the token is dropped.
 */
public record Review(
    String step,
    Instant since,
    Instant expiresAt,
    @Nullable String token,
    @Nullable String decision,
    @Nullable String decidedBy,
    @Nullable Instant decidedAt,
    @Nullable String comment) {

  public static final String APPROVE = "approve";
  public static final String REJECT = "reject";

  /** An open review. */
  public static Review open(String step, Instant since, Instant expiresAt, String token) {
    return new Review(step, since, expiresAt, token, null, null, null, null);
  }

  public boolean isOpen() {
    return decision == null;
  }

  /** This review decided: no token any more. */
  public Review decided(
      String decision, @Nullable String by, Instant at, @Nullable String comment) {
    return new Review(step, since, expiresAt, null, decision, by, at, comment);
  }
}
