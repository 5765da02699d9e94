package io.stepwise.local.auth;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.annotation.Order;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.stepwise.api.VerifiedClaims;
import java.util.Map;
import java.util.Optional;

/**
 * With {@code --auth}, what API Gateway's JWT authorizer does on AWS: every {@code /api} request
 * needs {@code Authorization: Bearer <token>} from the dev issuer, else it gets API Gateway's own
 * answer, 401 {@code {"message":"Unauthorized"}}, before any other filter or controller sees it.
 * The claims of a valid token go on the request ({@link VerifiedClaims}) for the controllers'
 * tenancy checks. Only the token endpoint itself is open. The dashboard's page and assets are
 * outside {@code /api}, open as on AWS.
 */
@ServerFilter("/api/**")
@Requires(property = DevIssuer.ENABLED, value = "true")
@Order(-100)
public class BearerTokenFilter {

  static final String OPEN_PATH = "/api/dev/tokens";

  private final DevIssuer issuer;

  BearerTokenFilter(DevIssuer issuer) {
    this.issuer = issuer;
  }

  @RequestFilter
  @Nullable public HttpResponse<Map<String, String>> verify(HttpRequest<?> request) {
    if (request.getPath().equals(OPEN_PATH)) {
      return null;
    }
    Optional<Map<String, String>> claims =
        token(request.getHeaders().get(HttpHeaders.AUTHORIZATION)).flatMap(issuer::verify);
    if (claims.isEmpty()) {
      return HttpResponse.<Map<String, String>>status(HttpStatus.UNAUTHORIZED)
          .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
          .body(Map.of("message", "Unauthorized"));
    }
    request.setAttribute(VerifiedClaims.ATTRIBUTE, claims.get());
    return null;
  }

  /**
   * The token of an {@code Authorization} header: {@code Bearer <token>}, or the bare token as API
   * Gateway takes it.
   */
  private static Optional<String> token(@Nullable String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.trim();
    return Optional.of(
        value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).trim() : value);
  }
}
