package io.stepwise.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.micronaut.http.HttpRequest;
import io.micronaut.servlet.http.ServletHttpRequest;
import io.stepwise.tenancy.Caller;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is calling, as API Gateway's JWT authorizer established it. API Gateway verifies the token
 * (signature, issuer, audience, expiry) before the function runs and passes the claims in {@code
 * requestContext.authorizer.jwt.claims}; this class only reads them (or, locally, the {@link
 * VerifiedClaims} a verifier left on the request). No claims, or no {@code sub}, is the open mode
 * (the API deployed without an authorizer, or the local runtime without {@code --auth}).
 */
@Singleton
final class Callers {

  private final String operatorGroup;

  Callers(AuthConfig config) {
    this.operatorGroup = config.operatorGroup();
  }

  /**
   * The caller of this request: resolved from its claims, once per request, by each controller
   * method.
   */
  Caller of(HttpRequest<?> request) {
    Map<String, String> claims = claims(request);
    String sub = claims.get("sub");
    if (sub == null || sub.isBlank()) {
      return Caller.OPEN;
    }
    boolean operator =
        groups(claims.get("cognito:groups")).contains(operatorGroup)
            || groups(claims.get("groups")).contains(operatorGroup);
    return operator ? Caller.operator(sub) : Caller.user(sub);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> claims(HttpRequest<?> request) {
    Optional<Map> verified = request.getAttribute(VerifiedClaims.ATTRIBUTE, Map.class);
    if (verified.isPresent()) {
      return verified.get();
    }
    if (!(request instanceof ServletHttpRequest<?, ?> servlet)
        || !(servlet.getNativeRequest() instanceof APIGatewayV2HTTPEvent event)
        || event.getRequestContext() == null
        || event.getRequestContext().getAuthorizer() == null
        || event.getRequestContext().getAuthorizer().getJwt() == null
        || event.getRequestContext().getAuthorizer().getJwt().getClaims() == null) {
      return Map.of();
    }
    return event.getRequestContext().getAuthorizer().getJwt().getClaims();
  }

  /**
   * A group claim as API Gateway flattens it to a string: an array claim arrives as {@code [a b]}
   * (or, from other issuers, {@code ["a","b"]} or {@code a,b}); a single group as itself. Group
   * names contain none of these separators, so splitting on them is exact.
   */
  static Set<String> groups(String claim) {
    if (claim == null) {
      return Set.of();
    }
    return Arrays.stream(claim.replaceAll("^\\s*\\[|\\]\\s*$", "").split("[\\s,]+"))
        .map(g -> g.replaceAll("^\"|\"$", ""))
        .filter(g -> !g.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }
}
