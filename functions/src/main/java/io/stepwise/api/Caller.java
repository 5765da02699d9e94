package io.stepwise.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.micronaut.http.HttpRequest;
import io.micronaut.servlet.http.ServletHttpRequest;
import java.util.Map;
import java.util.Optional;

/** Who is calling, as API Gateway's JWT authorizer established it (absent when the API runs without one). */
final class Caller {

  private Caller() {}

  /** The {@code sub} claim of the verified JWT, if API Gateway's authorizer passed one. */
  static Optional<String> owner(HttpRequest<?> request) {
    if (!(request instanceof ServletHttpRequest<?, ?> servlet)
        || !(servlet.getNativeRequest() instanceof APIGatewayV2HTTPEvent event)
        || event.getRequestContext() == null
        || event.getRequestContext().getAuthorizer() == null
        || event.getRequestContext().getAuthorizer().getJwt() == null) {
      return Optional.empty();
    }
    Map<String, String> claims = event.getRequestContext().getAuthorizer().getJwt().getClaims();
    return Optional.ofNullable(claims == null ? null : claims.get("sub"));
  }
}
