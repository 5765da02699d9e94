package io.stepwise.api;

/**
 * Where a verifier running in front of the controllers leaves the claims of a token it checked: a
 * request attribute (server-side only, a client cannot set it). On AWS nothing sets it, API
 * Gateway's JWT authorizer passes the claims in the Lambda event instead; the local runtime's
 * {@code --auth} filter sets it after verifying the bearer token against its dev issuer. The value
 * is a {@code Map<String, String>} flattened as API Gateway flattens claims (an array claim as
 * {@code [a b]}), so {@link Callers} reads both the same way.
 */
public final class VerifiedClaims {

  public static final String ATTRIBUTE = "stepwise.verifiedClaims";

  private VerifiedClaims() {}
}
