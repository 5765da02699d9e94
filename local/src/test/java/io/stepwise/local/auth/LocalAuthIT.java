package io.stepwise.local.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.local.LocalRuntime;
import io.stepwise.local.Options;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code --auth} end to end over HTTP: the API refuses what API Gateway's JWT authorizer would
 * refuse, tokens from {@code POST /api/dev/tokens} and from the authorization-code + PKCE flow are
 * accepted, and each user sees only their own tasks while an operator sees all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalAuthIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  private LocalRuntime runtime;

  @BeforeAll
  void start() {
    runtime = LocalRuntime.start(Options.ephemeral(0.001).withAuth());
  }

  @AfterAll
  void stop() {
    runtime.close();
  }

  private HttpResponse<String> call(String token, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(runtime.api() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> form(String path, Map<String, String> fields) throws Exception {
    String body =
        fields.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(runtime.api() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String token(String sub, String... groups) throws Exception {
    HttpResponse<String> r =
        call(
            null,
            "POST",
            "/api/dev/tokens",
            JSON.writeValueAsString(Map.of("sub", sub, "groups", List.of(groups))));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).path("token").asText();
  }

  private JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void withoutAValidToken_everyApiRouteIsApiGatewaysUnauthorized_andNothingIsCreated()
      throws Exception {
    String alice = token("alice");
    String tampered =
        alice.substring(0, alice.lastIndexOf('.') + 1)
            + "AAAA"
            + alice.substring(alice.lastIndexOf('.') + 5);
    int before =
        json(call(token("ops", "stepwise-operators"), "GET", "/api/tasks?limit=100", null))
            .path("items")
            .size();
    for (String bad : new String[] {null, "", "not-a-jwt", tampered, alice.replace('.', ':')}) {
      for (String[] route :
          new String[][] {
            {"GET", "/api/tasks"},
            {"POST", "/api/tasks"},
            {"GET", "/api/pipelines"},
            {"GET", "/api/models/health"},
            {"POST", "/api/dev/faults"}
          }) {
        HttpResponse<String> r =
            call(bad, route[0], route[1], route[0].equals("POST") ? "{}" : null);
        assertThat(r.statusCode()).as("%s %s with %s", route[0], route[1], bad).isEqualTo(401);
        assertThat(json(r).path("message").asText()).isEqualTo("Unauthorized");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      }
    }
    assertThat(
            json(call(token("ops", "stepwise-operators"), "GET", "/api/tasks?limit=100", null))
                .path("items")
                .size())
        .isEqualTo(before);
  }

  @Test
  void theDashboardPageStaysOpen_andCarriesTheDevIssuersSignInSettings() throws Exception {
    HttpResponse<String> page = call(null, "GET", "/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    Matcher meta =
        Pattern.compile("<meta name=\"stepwise-sign-in\" content=\"([^\"]*)\">")
            .matcher(page.body());
    assertThat(meta.find()).isTrue();
    JsonNode settings = JSON.readTree(meta.group(1).replace("&quot;", "\"").replace("&amp;", "&"));
    assertThat(settings.path("authorizeUrl").asText()).isEqualTo("/oauth2/authorize");
    assertThat(settings.path("clientId").asText()).isEqualTo(DevIssuer.CLIENT_ID);
    assertThat(call(null, "GET", "/assets/app.js", null).statusCode()).isEqualTo(200);
  }

  @Test
  void jwksAndDiscovery_describeTheIssuer() throws Exception {
    JsonNode jwks = json(call(null, "GET", "/.well-known/jwks.json", null));
    assertThat(jwks.path("keys")).hasSize(1);
    assertThat(jwks.path("keys").get(0).path("kty").asText()).isEqualTo("RSA");
    assertThat(jwks.path("keys").get(0).has("d")).as("no private part").isFalse();
    JsonNode discovery = json(call(null, "GET", "/.well-known/openid-configuration", null));
    assertThat(discovery.path("issuer").asText())
        .isEqualTo("http://localhost:" + runtime.api().getPort());
    assertThat(discovery.path("code_challenge_methods_supported").toString()).contains("S256");
  }

  @Test
  void tokenRequests_areValidated() throws Exception {
    for (String body :
        new String[] {
          "{}",
          "{\"sub\":\"\"}",
          "{\"sub\":42}",
          "{\"sub\":\"a b\"}",
          "{\"sub\":\"alice\",\"groups\":\"ops\"}",
          "{\"sub\":\"alice\",\"groups\":[\"\"]}",
          "{\"sub\":\"" + "a".repeat(129) + "\"}"
        }) {
      HttpResponse<String> r = call(null, "POST", "/api/dev/tokens", body);
      assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
    }
  }

  @Test
  void eachUserSeesOnlyTheirOwnTasks_andAnOperatorSeesAll() throws Exception {
    String alice = token("alice");
    String bob = token("bob");
    String ops = token("ops", "stepwise-operators");
    HttpResponse<String> created = call(alice, "POST", "/api/tasks", "{\"maxPapers\":1}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    String taskId = json(created).path("taskId").asText();

    assertThat(call(alice, "GET", "/api/tasks/" + taskId, null).statusCode()).isEqualTo(200);
    assertThat(call(bob, "GET", "/api/tasks/" + taskId, null).statusCode()).isEqualTo(404);
    assertThat(call(bob, "POST", "/api/tasks/" + taskId + "/cancel", null).statusCode())
        .isEqualTo(404);
    assertThat(json(call(bob, "GET", "/api/tasks?limit=100", null)).path("items").toString())
        .doesNotContain(taskId);
    assertThat(json(call(ops, "GET", "/api/tasks?limit=100", null)).path("items").toString())
        .contains(taskId);
    assertThat(call(ops, "GET", "/api/tasks/" + taskId, null).statusCode()).isEqualTo(200);
  }

  @Test
  void authorizationCodeWithPkce_givesAWorkingToken_once() throws Exception {
    String verifier = "a-verifier-of-the-dashboard-43-characters-or-more-0123456789";
    String redirect = "http://localhost:" + runtime.api().getPort() + "/";
    Map<String, String> request = new LinkedHashMap<>();
    request.put("response_type", "code");
    request.put("client_id", DevIssuer.CLIENT_ID);
    request.put("redirect_uri", redirect);
    request.put("state", "st-1");
    request.put("code_challenge", DevIssuerController.s256(verifier));
    request.put("code_challenge_method", "S256");
    String query =
        request.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpResponse<String> page = call(null, "GET", "/oauth2/authorize?" + query, null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("name=\"sub\"").contains("value=\"st-1\"");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("form-action 'self'");

    Map<String, String> signIn = new LinkedHashMap<>(request);
    signIn.remove("response_type");
    signIn.put("sub", "carol");
    signIn.put("groups", "");
    HttpResponse<String> back = form("/oauth2/authorize", signIn);
    assertThat(back.statusCode()).as(back.body()).isEqualTo(303);
    URI location = URI.create(back.headers().firstValue("Location").orElseThrow());
    assertThat(location.toString()).startsWith(redirect + "?code=").endsWith("&state=st-1");
    String code = location.getQuery().replaceAll(".*code=([^&]+).*", "$1");

    Map<String, String> exchange =
        new LinkedHashMap<>(
            Map.of(
                "grant_type",
                "authorization_code",
                "client_id",
                DevIssuer.CLIENT_ID,
                "code",
                code,
                "redirect_uri",
                redirect,
                "code_verifier",
                verifier + "x"));
    HttpResponse<String> wrongVerifier = form("/oauth2/token", exchange);
    assertThat(wrongVerifier.statusCode()).isEqualTo(400);
    assertThat(json(wrongVerifier).path("error").asText()).isEqualTo("invalid_grant");

    // A refused exchange used the code up, as a stolen code must not be tried again and again: sign
    // in afresh.
    HttpResponse<String> again = form("/oauth2/authorize", signIn);
    code =
        URI.create(again.headers().firstValue("Location").orElseThrow())
            .getQuery()
            .replaceAll(".*code=([^&]+).*", "$1");
    exchange.put("code", code);
    exchange.put("code_verifier", verifier);
    HttpResponse<String> tokens = form("/oauth2/token", exchange);
    assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
    assertThat(json(tokens).path("token_type").asText()).isEqualTo("Bearer");
    String carol = json(tokens).path("access_token").asText();
    assertThat(call(carol, "GET", "/api/tasks", null).statusCode()).isEqualTo(200);

    HttpResponse<String> reused = form("/oauth2/token", exchange);
    assertThat(json(reused).path("error").asText()).isEqualTo("invalid_grant");
  }

  @Test
  void theSignInForm_sendsCodesOnlyBackToThisRuntime_andWantsPkce() throws Exception {
    String challenge = DevIssuerController.s256("v".repeat(50));
    for (String[] bad :
        new String[][] {
          {"https://evil.example/", challenge, "S256"},
          {"http://localhost:1/", challenge, "S256"},
          {"http://localhost:" + runtime.api().getPort() + "/", "", "S256"},
          {"http://localhost:" + runtime.api().getPort() + "/", challenge, "plain"}
        }) {
      String query =
          "response_type=code&client_id="
              + DevIssuer.CLIENT_ID
              + "&redirect_uri="
              + URLEncoder.encode(bad[0], StandardCharsets.UTF_8)
              + "&code_challenge="
              + bad[1]
              + "&code_challenge_method="
              + bad[2];
      HttpResponse<String> page = call(null, "GET", "/oauth2/authorize?" + query, null);
      assertThat(page.statusCode()).as(String.join(" ", bad)).isEqualTo(400);
      HttpResponse<String> post =
          form(
              "/oauth2/authorize",
              Map.of(
                  "client_id",
                  DevIssuer.CLIENT_ID,
                  "redirect_uri",
                  bad[0],
                  "code_challenge",
                  bad[1],
                  "code_challenge_method",
                  bad[2],
                  "sub",
                  "mallory"));
      assertThat(post.statusCode()).as(String.join(" ", bad)).isEqualTo(400);
      assertThat(post.headers().firstValue("Location")).isEmpty();
    }
  }
}
