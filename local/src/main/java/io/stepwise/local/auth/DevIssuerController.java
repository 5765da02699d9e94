package io.stepwise.local.auth;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.stepwise.api.BadRequestException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dev issuer's endpoints, on the local API's port with {@code --auth}: its key set and
 * discovery document, a token for anybody ({@code POST /api/dev/tokens}, for curl and tests), and
 * the OAuth 2.0 authorization-code flow with PKCE (RFC 6749, RFC 7636) that the dashboard uses
 * against Cognito on AWS, here with a "sign in as" form instead of a password.
 */
@Controller
@Requires(property = DevIssuer.ENABLED, value = "true")
public class DevIssuerController {

  static final Duration CODE_LIFETIME = Duration.ofMinutes(5);
  private static final Pattern SUB = Pattern.compile("[A-Za-z0-9._@+-]{1,128}");
  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._@+-]{1,128}");
  private static final String PAGE_POLICY =
      "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private final DevIssuer issuer;
  private final JsonMapper json;
  private final Clock clock = Clock.systemUTC();
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();

  DevIssuerController(DevIssuer issuer, JsonMapper json) {
    this.issuer = issuer;
    this.json = json;
  }

  /** A code handed out by the sign-in form, until the token endpoint redeems it (once). */
  private record Grant(
      String sub, List<String> groups, String redirectUri, String challenge, Instant expires) {}

  @Serdeable
  public record TokenResponse(String token) {}

  @Get("/.well-known/jwks.json")
  public Map<String, Object> jwks() {
    return issuer.jwks();
  }

  @Get("/.well-known/openid-configuration")
  public Map<String, Object> discovery() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("issuer", issuer.issuer());
    d.put("authorization_endpoint", issuer.issuer() + "/oauth2/authorize");
    d.put("token_endpoint", issuer.issuer() + "/oauth2/token");
    d.put("jwks_uri", issuer.issuer() + "/.well-known/jwks.json");
    d.put("response_types_supported", List.of("code"));
    d.put("grant_types_supported", List.of("authorization_code"));
    d.put("code_challenge_methods_supported", List.of("S256"));
    d.put("subject_types_supported", List.of("public"));
    d.put("id_token_signing_alg_values_supported", List.of("RS256"));
    return d;
  }

  /**
   * {@code {"sub":"alice","groups":[]}} → {@code {"token":"..."}}, an access token valid for an
   * hour.
   */
  @Post(value = "/api/dev/tokens", consumes = MediaType.ALL)
  public TokenResponse token(@Nullable @Body String body) throws IOException {
    // whatever the Content-Type (a pasted curl -d sends a form's); the strict input filter checked
    // the JSON itself
    JsonNode request =
        body == null || body.isBlank() ? JsonNode.nullNode() : json.readValue(body, JsonNode.class);
    if (!request.isObject()) {
      throw new BadRequestException(
          "the body must be a JSON object like {\"sub\":\"alice\",\"groups\":[]}");
    }
    return new TokenResponse(issuer.token(sub(request.get("sub")), groups(request.get("groups"))));
  }

  /** The sign-in form the dashboard sends the browser to. */
  @Get(value = "/oauth2/authorize", produces = MediaType.TEXT_HTML)
  public MutableHttpResponse<String> authorize(
      HttpRequest<?> request,
      @Nullable @QueryValue("response_type") String responseType,
      @Nullable @QueryValue("client_id") String clientId,
      @Nullable @QueryValue("redirect_uri") String redirectUri,
      @Nullable @QueryValue String state,
      @Nullable @QueryValue("code_challenge") String challenge,
      @Nullable @QueryValue("code_challenge_method") String challengeMethod) {
    String refusal = refusal(responseType, clientId, redirectUri, challenge, challengeMethod);
    if (refusal != null) {
      return page(HttpStatus.BAD_REQUEST, "<h1>Cannot sign in</h1><p>" + html(refusal) + "</p>");
    }
    return page(
        HttpStatus.OK,
        """
        <h1>Sign in to Stepwise</h1>
        <p>Local dev issuer: no password, choose who you are. Members of <code>stepwise-operators</code> see every task.</p>
        <form method="post" action="/oauth2/authorize">
          <p><label>User <input id="sub" name="sub" required maxlength="128" autocomplete="username"></label></p>
          <p><label>Groups <input id="groups" name="groups" placeholder="comma-separated, e.g. stepwise-operators"></label></p>
          <input type="hidden" name="client_id" value="%s">
          <input type="hidden" name="redirect_uri" value="%s">
          <input type="hidden" name="state" value="%s">
          <input type="hidden" name="code_challenge" value="%s">
          <input type="hidden" name="code_challenge_method" value="S256">
          <p><button id="sign-in" type="submit">Sign in</button></p>
        </form>
        """
            .formatted(
                html(clientId),
                html(redirectUri),
                html(state == null ? "" : state),
                html(challenge)));
  }

  /** The form's answer: back to the dashboard with a one-time code. */
  @Post(value = "/oauth2/authorize", consumes = MediaType.APPLICATION_FORM_URLENCODED)
  public MutableHttpResponse<String> signIn(@Body Map<String, String> form) {
    String redirectUri = form.get("redirect_uri");
    String refusal =
        refusal(
            "code",
            form.get("client_id"),
            redirectUri,
            form.get("code_challenge"),
            form.get("code_challenge_method"));
    String sub = form.getOrDefault("sub", "").trim();
    List<String> groups =
        Arrays.stream(form.getOrDefault("groups", "").split(","))
            .map(String::trim)
            .filter(g -> !g.isEmpty())
            .toList();
    if (refusal == null && !SUB.matcher(sub).matches()) {
      refusal = "the user must be 1 to 128 letters, digits or ._@+-";
    }
    if (refusal == null && !groups.stream().allMatch(g -> GROUP.matcher(g).matches())) {
      refusal = "each group must be 1 to 128 letters, digits or ._@+-";
    }
    if (refusal != null) {
      return page(HttpStatus.BAD_REQUEST, "<h1>Cannot sign in</h1><p>" + html(refusal) + "</p>");
    }
    String code = randomToken();
    codes.put(
        code,
        new Grant(
            sub,
            groups,
            redirectUri,
            form.get("code_challenge"),
            clock.instant().plus(CODE_LIFETIME)));
    String state = form.getOrDefault("state", "");
    URI target =
        URI.create(
            redirectUri
                + (redirectUri.contains("?") ? "&" : "?")
                + "code="
                + code
                + (state.isEmpty()
                    ? ""
                    : "&state=" + URLEncoder.encode(state, StandardCharsets.UTF_8)));
    return HttpResponse.<String>seeOther(target).header("Cache-Control", "no-store");
  }

  /** The token endpoint (RFC 6749 §4.1.3): a code and its PKCE verifier for an access token. */
  @Post(value = "/oauth2/token", consumes = MediaType.APPLICATION_FORM_URLENCODED)
  public MutableHttpResponse<Map<String, Object>> redeem(@Body Map<String, String> form) {
    if (!"authorization_code".equals(form.get("grant_type"))) {
      return oauthError("unsupported_grant_type", "grant_type must be authorization_code");
    }
    if (!DevIssuer.CLIENT_ID.equals(form.get("client_id"))) {
      return oauthError("invalid_client", "unknown client_id");
    }
    String code = form.get("code");
    Grant grant = code == null ? null : codes.remove(code);
    if (grant == null || grant.expires().isBefore(clock.instant())) {
      return oauthError("invalid_grant", "the code is unknown, used or expired");
    }
    if (!grant.redirectUri().equals(form.get("redirect_uri"))) {
      return oauthError("invalid_grant", "redirect_uri differs from the authorization request's");
    }
    String verifier = form.get("code_verifier");
    if (verifier == null
        || !MessageDigest.isEqual(
            s256(verifier).getBytes(StandardCharsets.US_ASCII),
            grant.challenge().getBytes(StandardCharsets.US_ASCII))) {
      return oauthError("invalid_grant", "code_verifier does not match the code_challenge");
    }
    String token = issuer.token(grant.sub(), grant.groups());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", token);
    body.put("token_type", "Bearer");
    body.put("expires_in", DevIssuer.LIFETIME.toSeconds());
    return HttpResponse.ok(body).header("Cache-Control", "no-store");
  }

  /**
   * Why an authorization request cannot go on, or null. The redirect must come back to this runtime
   * (a loopback host on its port), so the form cannot be used to send a code to another site.
   */
  private String refusal(
      String responseType, String clientId, String redirectUri, String challenge, String method) {
    if (!"code".equals(responseType)) {
      return "response_type must be code";
    }
    if (!DevIssuer.CLIENT_ID.equals(clientId)) {
      return "unknown client_id; the dashboard's is " + DevIssuer.CLIENT_ID;
    }
    if (redirectUri == null || !returnsHere(redirectUri)) {
      return "redirect_uri must be a page of this local runtime (" + issuer.issuer() + "/)";
    }
    if (challenge == null || !challenge.matches("[A-Za-z0-9_-]{43}") || !"S256".equals(method)) {
      return "a PKCE code_challenge with code_challenge_method S256 is required";
    }
    return null;
  }

  private boolean returnsHere(String redirectUri) {
    try {
      URI uri = URI.create(redirectUri);
      URI self = URI.create(issuer.issuer());
      return "http".equals(uri.getScheme())
          && uri.getPort() == self.getPort()
          && uri.getRawFragment() == null
          && List.of("localhost", "127.0.0.1", "[::1]").contains(uri.getHost());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String sub(@Nullable JsonNode sub) {
    if (sub == null || !sub.isString() || !SUB.matcher(sub.getStringValue()).matches()) {
      throw new BadRequestException("'sub' must be a string of 1 to 128 letters, digits or ._@+-");
    }
    return sub.getStringValue();
  }

  private static List<String> groups(@Nullable JsonNode groups) {
    if (groups == null || groups.isNull()) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    if (groups.isArray() && groups.size() <= 20) {
      for (JsonNode g : groups.values()) {
        if (g.isString() && GROUP.matcher(g.getStringValue()).matches()) {
          names.add(g.getStringValue());
        }
      }
    }
    if (!groups.isArray() || names.size() != groups.size()) {
      throw new BadRequestException(
          "'groups' must be an array of at most 20 names of 1 to 128 letters, digits or ._@+-");
    }
    return names;
  }

  private static MutableHttpResponse<Map<String, Object>> oauthError(
      String error, String description) {
    return HttpResponse.<Map<String, Object>>badRequest(
            Map.of("error", error, "error_description", description))
        .header("Cache-Control", "no-store");
  }

  private static MutableHttpResponse<String> page(HttpStatus status, String body) {
    String html =
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in · Stepwise (local)</title>"
            + "</head><body>"
            + body
            + "</body></html>";
    return HttpResponse.<String>status(status)
        .body(html)
        .contentType("text/html; charset=utf-8")
        .header("Content-Security-Policy", PAGE_POLICY)
        // not no-referrer: under it a browser sends the form with "Origin: null", which Micronaut
        // refuses (403)
        .header("Referrer-Policy", "same-origin")
        .header("Cache-Control", "no-store");
  }

  private String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String s256(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String html(String text) {
    return text == null
        ? ""
        : text.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace("\"", "&quot;")
            .replace("'", "&#39;");
  }
}
