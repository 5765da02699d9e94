package io.stepwise.dashboard;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.util.Optional;

/**
 * How the dashboard signs its user in: OpenID Connect's authorization-code flow with PKCE against
 * these endpoints, for a public client (no secret). On AWS the stack points them at its Cognito
 * domain; locally {@code --auth} points them at the dev issuer. Unset (no authorize URL): the API
 * is open and the page signs nobody in. URLs may be absolute or relative to the page.
 */
@ConfigurationProperties("stepwise.dashboard.sign-in")
public record SignInConfig(
    @Nullable String authorizeUrl,
    @Nullable String tokenUrl,
    @Nullable String clientId,
    @Nullable String scope,
    @Nullable String logoutUrl) {

  public boolean enabled() {
    return authorizeUrl != null && !authorizeUrl.isBlank();
  }

  /**
   * The origin the page must be allowed to POST the code to, when the token endpoint is on another
   * host.
   */
  Optional<String> tokenOrigin() {
    if (tokenUrl == null || !tokenUrl.matches("https?://.*")) {
      return Optional.empty();
    }
    URI uri = URI.create(tokenUrl);
    return Optional.of(uri.getScheme() + "://" + uri.getRawAuthority());
  }
}
