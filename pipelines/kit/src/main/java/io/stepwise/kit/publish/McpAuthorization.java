package io.stepwise.kit.publish;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.models.EnvironmentApiKeys;
import io.stepwise.models.SecretsManagerApiKeys;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.steps.errors.TransientStepException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The {@code Authorization} header for the MCP target ({@code stepwise.publish.mcp.auth.*}), if it
 * wants one:
 *
 * <ul>
 *   <li>a static bearer token from the environment ({@code bearer-token-env}) or Secrets Manager
 *       ({@code bearer-token-secret});
 *   <li>or an OAuth 2.1 client-credentials grant ({@code token-url}, {@code client-id}, the secret
 *       from {@code client-secret-env} or {@code client-secret-secret}, optional {@code scope}):
 *       the client authenticates with HTTP Basic (RFC 6749 section 2.3.1) and the token is kept
 *       until a minute before it expires.
 * </ul>
 *
 * Read at call time, never at start, so no secret is captured in a SnapStart snapshot. Written out
 * here because the client-credentials grant is one form POST, and no maintained OAuth client
 * library is in reach of this build.
 */
@Singleton
public class McpAuthorization {

  private record Token(String value, Instant expires) {}

  private final String tokenEnv;
  private final String tokenSecret;
  private final URI tokenUrl;
  private final String clientId;
  private final String clientSecretEnv;
  private final String clientSecretSecret;
  private final String scope;
  private final SecretsManagerApiKeys secrets;
  private final JsonMapper json;
  private final Clock clock;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private volatile Token token;

  public McpAuthorization(
      @Nullable @Value("${stepwise.publish.mcp.auth.bearer-token-env:}") String tokenEnv,
      @Nullable @Value("${stepwise.publish.mcp.auth.bearer-token-secret:}") String tokenSecret,
      @Nullable @Value("${stepwise.publish.mcp.auth.token-url:}") String tokenUrl,
      @Nullable @Value("${stepwise.publish.mcp.auth.client-id:}") String clientId,
      @Nullable @Value("${stepwise.publish.mcp.auth.client-secret-env:}") String clientSecretEnv,
      @Nullable @Value("${stepwise.publish.mcp.auth.client-secret-secret:}")
          String clientSecretSecret,
      @Nullable @Value("${stepwise.publish.mcp.auth.scope:}") String scope,
      SecretsManagerApiKeys secrets,
      JsonMapper json,
      Clock clock) {
    this.tokenEnv = blankToNull(tokenEnv);
    this.tokenSecret = blankToNull(tokenSecret);
    this.tokenUrl = blankToNull(tokenUrl) == null ? null : URI.create(tokenUrl);
    this.clientId = blankToNull(clientId);
    this.clientSecretEnv = blankToNull(clientSecretEnv);
    this.clientSecretSecret = blankToNull(clientSecretSecret);
    this.scope = blankToNull(scope);
    this.secrets = secrets;
    this.json = json;
    this.clock = clock;
    int ways =
        (this.tokenEnv != null ? 1 : 0)
            + (this.tokenSecret != null ? 1 : 0)
            + (this.tokenUrl != null ? 1 : 0);
    if (ways > 1) {
      throw new IllegalStateException(
          "stepwise.publish.mcp.auth: set one of bearer-token-env, bearer-token-secret or token-url");
    }
    if (this.tokenUrl != null
        && (this.clientId == null
            || (this.clientSecretEnv == null) == (this.clientSecretSecret == null))) {
      throw new IllegalStateException(
          "stepwise.publish.mcp.auth.token-url needs client-id and one of client-secret-env or client-secret-secret");
    }
  }

  /** How the target is authorised, in words for error messages (never the secret). */
  public String describe() {
    if (tokenEnv != null) {
      return "the bearer token in " + tokenEnv;
    }
    if (tokenSecret != null) {
      return "the bearer token in secret " + tokenSecret;
    }
    if (tokenUrl != null) {
      return "an OAuth token for client " + clientId + " from " + tokenUrl;
    }
    return "no credentials (set stepwise.publish.mcp.auth.bearer-token-env, bearer-token-secret or token-url)";
  }

  /** The header value ({@code Bearer …}) for the next requests, if any is configured. */
  public Optional<String> header() {
    if (tokenEnv != null) {
      return Optional.of(
          "Bearer "
              + EnvironmentApiKeys.read(tokenEnv)
                  .orElseThrow(
                      () ->
                          new TerminalStepException(
                              "the MCP bearer token variable " + tokenEnv + " is not set")));
    }
    if (tokenSecret != null) {
      return Optional.of("Bearer " + secrets.read(tokenSecret));
    }
    if (tokenUrl != null) {
      return Optional.of("Bearer " + accessToken());
    }
    return Optional.empty();
  }

  /** Forgets a token the server refused, so the next publish asks for a fresh one. */
  public void refused() {
    token = null;
  }

  private String accessToken() {
    Token t = token;
    if (t != null && t.expires().isAfter(clock.instant())) {
      return t.value();
    }
    String secret =
        clientSecretEnv != null
            ? EnvironmentApiKeys.read(clientSecretEnv)
                .orElseThrow(
                    () ->
                        new TerminalStepException(
                            "the OAuth client secret variable " + clientSecretEnv + " is not set"))
            : secrets.read(clientSecretSecret);
    String form =
        "grant_type=client_credentials"
            + (scope == null ? "" : "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                        + ":"
                        + URLEncoder.encode(secret, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(tokenUrl)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .header("Authorization", "Basic " + basic)
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new TransientStepException(
          "the OAuth token endpoint "
              + tokenUrl
              + " could not be reached ("
              + e.getClass().getSimpleName()
              + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientStepException("interrupted while asking " + tokenUrl + " for a token");
    }
    JsonNode body = read(response.body());
    if (response.statusCode() >= 500) {
      throw new TransientStepException(
          "the OAuth token endpoint " + tokenUrl + " answered HTTP " + response.statusCode());
    }
    if (response.statusCode() != 200 || body == null || body.get("access_token") == null) {
      String error =
          body != null && body.get("error") != null
              ? body.get("error").coerceStringValue()
              : "no access_token";
      throw new TerminalStepException(
          "the OAuth token endpoint "
              + tokenUrl
              + " refused client "
              + clientId
              + " (HTTP "
              + response.statusCode()
              + ", "
              + error
              + "): check its client id and secret");
    }
    long seconds =
        body.get("expires_in") != null && body.get("expires_in").isNumber()
            ? body.get("expires_in").getLongValue()
            : 300;
    String value = body.get("access_token").coerceStringValue();
    token = new Token(value, clock.instant().plusSeconds(Math.max(0, seconds - 60)));
    return value;
  }

  private JsonNode read(byte[] body) {
    try {
      return json.readValue(body, JsonNode.class);
    } catch (IOException notJson) {
      return null;
    }
  }

  private static String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
