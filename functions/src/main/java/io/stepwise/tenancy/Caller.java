package io.stepwise.tenancy;

import io.micronaut.core.annotation.Nullable;

/**
 * Who is asking, as the API's authorizer established it, and the ownership rule every service
 * applies.
 *
 * <p>Three kinds of caller: a signed-in user ({@code sub}), who sees and acts on only what that
 * {@code sub} created; an operator (in the configured operator group), who sees and acts on
 * everything; and the open mode (no {@code sub}: the API runs without an authorizer, e.g. the local
 * runtime without {@code --auth}), where everything is visible, as before tenancy. A resource
 * another caller may not see is reported exactly as an unknown one (404), so its existence does not
 * leak.
 */
public record Caller(@Nullable String sub, boolean operator) {

  /** No authorizer: everything visible. */
  public static final Caller OPEN = new Caller(null, false);

  public static Caller user(String sub) {
    return new Caller(sub, false);
  }

  public static Caller operator(String sub) {
    return new Caller(sub, true);
  }

  /** True when this caller sees everything: an operator, or the open mode. */
  public boolean seesAll() {
    return operator || sub == null;
  }

  /**
   * Whether this caller may see and act on something created by {@code ownerId} (null: created in
   * open mode).
   */
  public boolean mayAccess(@Nullable String ownerId) {
    return seesAll() || sub.equals(ownerId);
  }

  /** The owner to restrict a listing to, or null when this caller sees every owner's. */
  @Nullable public String ownerFilter() {
    return seesAll() ? null : sub;
  }

  /** The owner recorded on what this caller creates (null in open mode). */
  @Nullable public String ownerId() {
    return sub;
  }
}
