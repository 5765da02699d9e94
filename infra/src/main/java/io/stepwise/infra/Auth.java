package io.stepwise.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import software.constructs.Node;

/**
 * Who may call the HTTP API, chosen by context: a Cognito user pool the stack creates (the
 * default), an external OIDC issuer ({@code -c jwtIssuer=... -c jwtAudience=...}), or nobody
 * checked ({@code -c auth=none}, e.g. for LocalStack, whose free edition has no Cognito).
 */
public sealed interface Auth permits Auth.Cognito, Auth.External, Auth.None {

  /** Context key choosing the mode: {@code cognito}, {@code external} or {@code none}. */
  String MODE_KEY = "auth";

  /**
   * The mode the context asks for: {@code auth} when set, else external when {@code jwtIssuer} is,
   * else Cognito. Values that belong to another mode stop synthesis rather than being ignored: a
   * deployment never ends up less guarded than its context reads.
   */
  static Auth fromContext(Node node) {
    String mode = StackConfig.text(node, MODE_KEY, "").toLowerCase(Locale.ROOT);
    String issuer = StackConfig.text(node, "jwtIssuer", "");
    List<String> audience = StackConfig.list(StackConfig.text(node, "jwtAudience", ""));
    boolean jwt = !issuer.isEmpty() || !audience.isEmpty();
    if (mode.isEmpty()) {
      mode = jwt ? "external" : "cognito";
    }
    String prefix = StackConfig.text(node, "cognitoDomainPrefix", "");
    List<String> callbacks = StackConfig.list(StackConfig.text(node, "dashboardCallbackUrls", ""));
    Optional<DashboardSignIn> dashboard = oidcDashboard(node);
    if (!mode.equals("external") && (jwt || dashboard.isPresent())) {
      throw new IllegalArgumentException(
          "auth="
              + mode
              + " takes no jwtIssuer, jwtAudience or oidc* context values: "
              + "they configure auth=external (the default when jwtIssuer is set)");
    }
    if (!mode.equals("cognito") && (!prefix.isEmpty() || !callbacks.isEmpty())) {
      throw new IllegalArgumentException(
          "cognitoDomainPrefix and dashboardCallbackUrls configure auth=cognito, not auth=" + mode);
    }
    return switch (mode) {
      case "cognito" -> new Cognito(prefix, callbacks);
      case "external" -> new External(issuer, audience, dashboard);
      case "none" -> new None();
      default ->
          throw new IllegalArgumentException(
              "context " + MODE_KEY + " must be cognito, external or none, was '" + mode + "'");
    };
  }

  /**
   * {@code oidcAuthorizeUrl}, {@code oidcTokenUrl}, {@code oidcClientId} together (and optional
   * logout, scope).
   */
  private static Optional<DashboardSignIn> oidcDashboard(Node node) {
    List<String> keys = List.of("oidcAuthorizeUrl", "oidcTokenUrl", "oidcClientId");
    List<String> values = keys.stream().map(k -> StackConfig.text(node, k, "")).toList();
    String logout = StackConfig.text(node, "oidcLogoutUrl", "");
    String scope = StackConfig.text(node, "oidcScope", DashboardSignIn.DEFAULT_SCOPE);
    if (values.stream().allMatch(String::isEmpty) && logout.isEmpty()) {
      return Optional.empty();
    }
    if (values.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException(
          "the dashboard's sign-in needs all of " + keys + ", got " + values);
    }
    return Optional.of(
        new DashboardSignIn(values.get(0), values.get(1), values.get(2), scope, logout));
  }

  /**
   * The stack creates a user pool, its hosted sign-in domain and the dashboard's app client; the
   * API accepts that pool's access tokens.
   *
   * @param domainPrefix the hosted domain's prefix ({@code
   *     https://<prefix>.auth.<region>.amazoncognito.com}); empty: derived from the stack name and
   *     account ({@code stepwise-<account>} for the stack {@code Stepwise})
   * @param extraCallbackUrls where the hosted sign-in may send the browser back to besides the
   *     API's own {@code /} (e.g. a custom domain in front of the API)
   */
  record Cognito(String domainPrefix, List<String> extraCallbackUrls) implements Auth {

    /**
     * What Cognito accepts as a domain prefix: lowercase letters, digits and inner hyphens, at most
     * 63.
     */
    static final Pattern DOMAIN_PREFIX = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    public static final Cognito DEFAULT = new Cognito("", List.of());

    public Cognito {
      Objects.requireNonNull(domainPrefix, "domainPrefix");
      extraCallbackUrls = List.copyOf(extraCallbackUrls);
      if (!domainPrefix.isEmpty() && !DOMAIN_PREFIX.matcher(domainPrefix).matches()) {
        throw new IllegalArgumentException(
            "context cognitoDomainPrefix must be 1 to 63 lowercase letters, digits "
                + "and inner hyphens, was '"
                + domainPrefix
                + "'");
      }
      for (String url : extraCallbackUrls) {
        if (!url.startsWith("https://") && !url.startsWith("http://localhost")) {
          throw new IllegalArgumentException(
              "context dashboardCallbackUrls takes https:// URLs (or http://localhost), was '"
                  + url
                  + "'");
        }
      }
    }
  }

  /**
   * Tokens of an issuer the stack does not create.
   *
   * @param issuer the {@code iss} API Gateway checks, and where it finds the issuer's keys (OIDC
   *     discovery)
   * @param audience accepted {@code aud} (or, without one, {@code client_id}) values
   * @param dashboard how the dashboard signs in against that issuer; empty: it is not told (the API
   *     still works with tokens obtained elsewhere)
   */
  record External(String issuer, List<String> audience, Optional<DashboardSignIn> dashboard)
      implements Auth {

    public External {
      Objects.requireNonNull(issuer, "issuer");
      audience = List.copyOf(audience);
      Objects.requireNonNull(dashboard, "dashboard");
      if (issuer.isBlank() || audience.isEmpty()) {
        throw new IllegalArgumentException(
            "an external issuer needs both context values jwtIssuer and jwtAudience, got jwtIssuer='"
                + issuer
                + "', jwtAudience="
                + audience);
      }
    }
  }

  /**
   * The API is open: synthesis warns, and every caller is the open mode of tenancy (sees
   * everything).
   */
  record None() implements Auth {}

  /**
   * How the dashboard signs in (OIDC authorization code with PKCE): the api function's environment
   * carries these to the page, under {@link #AUTHORIZE_URL} and the other names here.
   */
  record DashboardSignIn(
      String authorizeUrl, String tokenUrl, String clientId, String scope, String logoutUrl) {

    static final String AUTHORIZE_URL = "STEPWISE_DASHBOARD_AUTHORIZE_URL";
    static final String TOKEN_URL = "STEPWISE_DASHBOARD_TOKEN_URL";
    static final String CLIENT_ID = "STEPWISE_DASHBOARD_CLIENT_ID";
    static final String SCOPE = "STEPWISE_DASHBOARD_SCOPE";
    static final String LOGOUT_URL = "STEPWISE_DASHBOARD_LOGOUT_URL";

    /** Every variable name, in the order above. */
    static final List<String> VARIABLES =
        List.of(AUTHORIZE_URL, TOKEN_URL, CLIENT_ID, SCOPE, LOGOUT_URL);

    /**
     * The scopes the dashboard asks for: who the user is and their email, nothing to act on their
     * behalf.
     */
    static final String DEFAULT_SCOPE = "openid email profile";

    public DashboardSignIn {
      Objects.requireNonNull(authorizeUrl, "authorizeUrl");
      Objects.requireNonNull(tokenUrl, "tokenUrl");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(logoutUrl, "logoutUrl");
    }

    /** The variables as the api function's environment; an empty logout URL is left out. */
    public Map<String, String> environment() {
      Map<String, String> env = new LinkedHashMap<>();
      env.put(AUTHORIZE_URL, authorizeUrl);
      env.put(TOKEN_URL, tokenUrl);
      env.put(CLIENT_ID, clientId);
      env.put(SCOPE, scope);
      if (!logoutUrl.isEmpty()) {
        env.put(LOGOUT_URL, logoutUrl);
      }
      return env;
    }
  }
}
