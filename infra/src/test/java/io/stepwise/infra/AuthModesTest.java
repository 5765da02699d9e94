package io.stepwise.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepwise.catalog.Handler;
import io.stepwise.catalog.Handlers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;

/**
 * The three ways the stack guards its API: its own Cognito user pool (default), an external issuer,
 * or none. Each is read from the template: which resources exist, what the authorizer checks (as
 * CloudFormation references), which routes it guards, and what the api function tells the
 * dashboard.
 */
class AuthModesTest {

  static final Auth.DashboardSignIn EXTERNAL_SIGN_IN =
      new Auth.DashboardSignIn(
          "https://login.example/authorize",
          "https://login.example/token",
          "dashboard-client",
          Auth.DashboardSignIn.DEFAULT_SCOPE,
          "https://login.example/logout");

  private static SynthesizedStack synth(StackConfig config) {
    return SynthesizedStack.of(config);
  }

  private static String render(JsonNode value) {
    return SynthesizedStack.render(value);
  }

  static Stream<Arguments> modes() {
    StackConfig d = StackConfig.defaults();
    return Stream.of(
        Arguments.of("cognito (default)", d),
        Arguments.of(
            "cognito, own prefix and callbacks",
            d.withAuth(
                new Auth.Cognito("acme-stepwise", List.of("https://stepwise.acme.example/")))),
        Arguments.of("external", d.withJwt("https://issuer.example/", List.of("stepwise"))),
        Arguments.of(
            "external with dashboard sign-in",
            d.withAuth(
                new Auth.External(
                    "https://issuer.example/",
                    List.of("stepwise"),
                    Optional.of(EXTERNAL_SIGN_IN)))),
        Arguments.of("none", d.withAuth(new Auth.None())),
        Arguments.of(
            "none, no HTTP API (LocalStack)", d.withAuth(new Auth.None()).withHttpApi(false)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void everyMode_synthesisesATemplateWithoutADependencyCycle(String name, StackConfig config) {
    assertThat(synth(config).dependencyCycle()).as(name).isEmpty();
  }

  @Test
  void theCycleCheck_findsACycleThroughRefGetAttAndDependsOn() throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode cyclic =
        json.readTree(
            "{\"Client\":{\"Properties\":{\"Url\":{\"Fn::GetAtt\":[\"Api\",\"ApiEndpoint\"]}}},"
                + "\"Api\":{\"DependsOn\":[\"Authorizer\"]},"
                + "\"Authorizer\":{\"Properties\":{\"Audience\":[{\"Ref\":\"Client\"}],\"Region\":{\"Ref\":\"AWS::Region\"}}}}");
    assertThat(SynthesizedStack.dependencyCycle(cyclic))
        .containsExactly("Client", "Api", "Authorizer");
    ((ObjectNode) cyclic.path("Api")).remove("DependsOn");
    assertThat(SynthesizedStack.dependencyCycle(cyclic)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void noRoleInAnyMode_mayCallCognito(String name, StackConfig config) {
    SynthesizedStack synth = synth(config);
    for (Map.Entry<String, JsonNode> statement : synth.allStatements()) {
      assertThat(SynthesizedStack.strings(statement.getValue().path("Action")))
          .as("%s: %s", name, statement.getKey())
          .noneMatch(action -> action.startsWith("cognito"));
    }
  }

  @Test
  void
      cognito_aUserPoolOnlyAnAdministratorAddsTo_withStrongPasswordsMfaThreatProtection_andRetained() {
    SynthesizedStack synth = synth(StackConfig.defaults());
    List<String> pools = synth.ofType("AWS::Cognito::UserPool");
    assertThat(pools).hasSize(1);
    JsonNode pool = synth.resources.path(pools.get(0));
    JsonNode props = pool.path("Properties");
    assertThat(props.path("AdminCreateUserConfig").path("AllowAdminCreateUserOnly").asBoolean())
        .as("no self sign-up")
        .isTrue();
    assertThat(SynthesizedStack.strings(props.path("UsernameAttributes"))).containsExactly("email");
    assertThat(props.path("UsernameConfiguration").path("CaseSensitive").asBoolean()).isFalse();
    JsonNode password = props.path("Policies").path("PasswordPolicy");
    assertThat(password.path("MinimumLength").asInt()).isGreaterThanOrEqualTo(12);
    for (String rule :
        List.of("RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols")) {
      assertThat(password.path(rule).asBoolean()).as(rule).isTrue();
    }
    assertThat(props.path("MfaConfiguration").asText()).isEqualTo("ON");
    assertThat(SynthesizedStack.strings(props.path("EnabledMfas")))
        .containsExactly("SOFTWARE_TOKEN_MFA");
    assertThat(props.path("UserPoolTier").asText()).isEqualTo("PLUS");
    assertThat(props.path("UserPoolAddOns").path("AdvancedSecurityMode").asText())
        .isEqualTo("ENFORCED");
    assertThat(props.path("DeletionProtection").asText()).isEqualTo("ACTIVE");
    assertThat(pool.path("DeletionPolicy").asText()).isEqualTo("Retain");
    assertThat(pool.path("UpdateReplacePolicy").asText()).isEqualTo("Retain");

    List<String> groups = synth.ofType("AWS::Cognito::UserPoolGroup");
    assertThat(groups).hasSize(1);
    assertThat(synth.properties(groups.get(0)).path("GroupName").asText())
        .isEqualTo("stepwise-operators");
    assertThat(synth.properties(groups.get(0)).path("UserPoolId").path("Ref").asText())
        .isEqualTo(pools.get(0));
  }

  @Test
  void cognito_theDomainPrefixIsStepwiseAndTheAccount_unlessContextNamesOne() {
    SynthesizedStack synth = synth(StackConfig.defaults());
    List<String> domains = synth.ofType("AWS::Cognito::UserPoolDomain");
    assertThat(domains).hasSize(1);
    assertThat(SynthesizedStack.render(synth.properties(domains.get(0)).path("Domain")))
        .isEqualTo("stepwise-{Ref:AWS::AccountId}");

    SynthesizedStack named =
        synth(StackConfig.defaults().withAuth(new Auth.Cognito("acme-stepwise", List.of())));
    assertThat(
            named
                .properties(named.ofType("AWS::Cognito::UserPoolDomain").get(0))
                .path("Domain")
                .asText())
        .isEqualTo("acme-stepwise");
  }

  @Test
  void cognito_theDashboardClientIsPublic_codeGrantOnly_returningToTheApisRoot_andAnyExtraUrl() {
    SynthesizedStack synth =
        synth(
            StackConfig.defaults()
                .withAuth(new Auth.Cognito("", List.of("https://stepwise.acme.example/"))));
    List<String> clients = synth.ofType("AWS::Cognito::UserPoolClient");
    assertThat(clients).hasSize(1);
    JsonNode client = synth.properties(clients.get(0));
    assertThat(client.path("GenerateSecret").asBoolean(true))
        .as("no secret: a browser cannot keep one")
        .isFalse();
    assertThat(client.path("AllowedOAuthFlowsUserPoolClient").asBoolean()).isTrue();
    assertThat(SynthesizedStack.strings(client.path("AllowedOAuthFlows"))).containsExactly("code");
    assertThat(SynthesizedStack.strings(client.path("AllowedOAuthScopes")))
        .containsExactlyInAnyOrder("openid", "email", "profile");
    assertThat(SynthesizedStack.strings(client.path("SupportedIdentityProviders")))
        .containsExactly("COGNITO");
    assertThat(SynthesizedStack.strings(client.path("ExplicitAuthFlows")))
        .containsExactlyInAnyOrder("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH");
    assertThat(client.path("UserPoolId").path("Ref").asText())
        .isEqualTo(synth.ofType("AWS::Cognito::UserPool").get(0));

    String api = synth.ofType("AWS::ApiGatewayV2::Api").get(0);
    List<String> expected =
        List.of("{GetAtt:" + api + ".ApiEndpoint}/", "https://stepwise.acme.example/");
    for (String urls : List.of("CallbackURLs", "LogoutURLs")) {
      List<String> rendered = new ArrayList<>();
      client.path(urls).forEach(url -> rendered.add(render(url)));
      assertThat(rendered).as(urls).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void cognito_theAuthorizerTrustsThePoolsIssuer_andTheDashboardClientAsAudience() {
    SynthesizedStack synth = synth(StackConfig.defaults());
    JsonNode jwt = onlyAuthorizer(synth).path("JwtConfiguration");
    String pool = synth.ofType("AWS::Cognito::UserPool").get(0);
    assertThat(render(jwt.path("Issuer")))
        .isEqualTo("https://cognito-idp.{Ref:AWS::Region}.amazonaws.com/{Ref:" + pool + "}");
    assertThat(jwt.path("Audience")).hasSize(1);
    assertThat(jwt.path("Audience").path(0).path("Ref").asText())
        .isEqualTo(synth.ofType("AWS::Cognito::UserPoolClient").get(0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("guardedModes")
  void withAnAuthorizer_everyApiRouteIsGuarded_andOnlyTheDashboardsStaticRoutesAreOpen(
      String name, StackConfig c) {
    SynthesizedStack synth = synth(c);
    String authorizer = synth.ofType("AWS::ApiGatewayV2::Authorizer").get(0);
    Map<String, String> authorization = new HashMap<>();
    for (String route : synth.ofType("AWS::ApiGatewayV2::Route")) {
      JsonNode props = synth.properties(route);
      authorization.put(props.path("RouteKey").asText(), props.path("AuthorizationType").asText());
      if (props.path("AuthorizationType").asText().equals("JWT")) {
        assertThat(props.path("AuthorizerId").path("Ref").asText()).isEqualTo(authorizer);
      }
    }
    // $default carries every /api path: no route of its own, so none escapes the authorizer.
    assertThat(authorization)
        .as(name)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("$default", "JWT", "GET /", "NONE", "GET /assets/{name}", "NONE"));
    assertThat(Api.PUBLIC_DASHBOARD_PATHS).noneMatch(path -> path.startsWith("/api"));
  }

  static Stream<Arguments> guardedModes() {
    return modes().filter(a -> !(((StackConfig) a.get()[1]).auth() instanceof Auth.None));
  }

  @Test
  void cognito_theApiFunctionTellsTheDashboardTheHostedPagesClientScopeAndOperatorGroup() {
    SynthesizedStack synth = synth(StackConfig.defaults());
    String domain = synth.ofType("AWS::Cognito::UserPoolDomain").get(0);
    String base = "https://{Ref:" + domain + "}.auth.{Ref:AWS::Region}.amazoncognito.com";
    JsonNode env = apiEnvironment(synth);
    assertThat(render(env.path("STEPWISE_DASHBOARD_AUTHORIZE_URL")))
        .isEqualTo(base + "/oauth2/authorize");
    assertThat(render(env.path("STEPWISE_DASHBOARD_TOKEN_URL"))).isEqualTo(base + "/oauth2/token");
    assertThat(render(env.path("STEPWISE_DASHBOARD_LOGOUT_URL"))).isEqualTo(base + "/logout");
    assertThat(env.path("STEPWISE_DASHBOARD_CLIENT_ID").path("Ref").asText())
        .isEqualTo(synth.ofType("AWS::Cognito::UserPoolClient").get(0));
    assertThat(env.path("STEPWISE_DASHBOARD_SCOPE").asText()).isEqualTo("openid email profile");
    assertThat(env.path("STEPWISE_OPERATOR_GROUP").asText())
        .isEqualTo(
            synth
                .properties(synth.ofType("AWS::Cognito::UserPoolGroup").get(0))
                .path("GroupName")
                .asText());
    assertOnlyTheApiKnowsTheSignIn(synth);

    synth.template.hasOutput(
        "UserPoolId",
        Map.of("Value", Map.of("Ref", synth.ofType("AWS::Cognito::UserPool").get(0))));
    synth.template.hasOutput(
        "UserPoolClientId",
        Map.of("Value", Map.of("Ref", synth.ofType("AWS::Cognito::UserPoolClient").get(0))));
    assertThat(render(synth.output("SignInDomain"))).isEqualTo(base);
    assertThat(render(synth.output("DashboardUrl")))
        .isEqualTo("{GetAtt:" + synth.ofType("AWS::ApiGatewayV2::Api").get(0) + ".ApiEndpoint}/");
  }

  @Test
  void external_createsNoCognitoResource_andTellsTheDashboardOnlyWhatContextGives() {
    SynthesizedStack plain =
        synth(StackConfig.defaults().withJwt("https://issuer.example/", List.of("a")));
    assertNoCognito(plain);
    JsonNode jwt = onlyAuthorizer(plain).path("JwtConfiguration");
    assertThat(jwt.path("Issuer").asText()).isEqualTo("https://issuer.example/");
    assertThat(SynthesizedStack.strings(jwt.path("Audience"))).containsExactly("a");
    assertThat(Auth.DashboardSignIn.VARIABLES).noneMatch(apiEnvironment(plain)::has);
    assertThat(apiEnvironment(plain).has("STEPWISE_OPERATOR_GROUP")).isFalse();

    SynthesizedStack told =
        synth(
            StackConfig.defaults()
                .withAuth(
                    new Auth.External(
                        "https://issuer.example/", List.of("a"), Optional.of(EXTERNAL_SIGN_IN))));
    assertNoCognito(told);
    JsonNode env = apiEnvironment(told);
    assertThat(env.path("STEPWISE_DASHBOARD_AUTHORIZE_URL").asText())
        .isEqualTo("https://login.example/authorize");
    assertThat(env.path("STEPWISE_DASHBOARD_TOKEN_URL").asText())
        .isEqualTo("https://login.example/token");
    assertThat(env.path("STEPWISE_DASHBOARD_CLIENT_ID").asText()).isEqualTo("dashboard-client");
    assertThat(env.path("STEPWISE_DASHBOARD_SCOPE").asText()).isEqualTo("openid email profile");
    assertThat(env.path("STEPWISE_DASHBOARD_LOGOUT_URL").asText())
        .isEqualTo("https://login.example/logout");
    assertOnlyTheApiKnowsTheSignIn(told);
  }

  @Test
  void none_leavesTheApiOpenWithTheWarning_andTellsTheDashboardNothing() {
    SynthesizedStack synth = synth(StackConfig.defaults().withAuth(new Auth.None()));
    assertNoCognito(synth);
    assertThat(synth.ofType("AWS::ApiGatewayV2::Authorizer")).isEmpty();
    assertThat(synth.ofType("AWS::ApiGatewayV2::Route"))
        .singleElement()
        .satisfies(
            route ->
                assertThat(synth.properties(route).path("AuthorizationType").asText())
                    .isEqualTo("NONE"));
    assertThat(synth.warnings())
        .singleElement()
        .asString()
        .contains("open to anyone")
        .contains("auth=none");
    assertThat(Auth.DashboardSignIn.VARIABLES).noneMatch(apiEnvironment(synth)::has);
  }

  @Test
  void context_choosesTheMode() {
    assertThat(auth(Map.of())).isEqualTo(Auth.Cognito.DEFAULT);
    assertThat(auth(Map.of("jwtIssuer", "", "jwtAudience", "")))
        .as("cdk.json's empty values")
        .isEqualTo(Auth.Cognito.DEFAULT);
    assertThat(
            auth(
                Map.of(
                    "cognitoDomainPrefix",
                    "acme",
                    "dashboardCallbackUrls",
                    "https://a.example/, https://b.example/")))
        .isEqualTo(new Auth.Cognito("acme", List.of("https://a.example/", "https://b.example/")));
    assertThat(auth(Map.of("jwtIssuer", "https://issuer.example/", "jwtAudience", "x")))
        .isEqualTo(new Auth.External("https://issuer.example/", List.of("x"), Optional.empty()));
    assertThat(
            auth(
                Map.of(
                    "auth",
                    "external",
                    "jwtIssuer",
                    "https://issuer.example/",
                    "jwtAudience",
                    "x",
                    "oidcAuthorizeUrl",
                    "https://login.example/authorize",
                    "oidcTokenUrl",
                    "https://login.example/token",
                    "oidcClientId",
                    "dashboard-client",
                    "oidcLogoutUrl",
                    "https://login.example/logout")))
        .isEqualTo(
            new Auth.External(
                "https://issuer.example/", List.of("x"), Optional.of(EXTERNAL_SIGN_IN)));
    assertThat(auth(Map.of("auth", "NONE"))).isEqualTo(new Auth.None());
  }

  @Test
  void context_thatMixesModesOrIsIncomplete_stopsSynthesisNamingTheKeys() {
    Map<Map<String, String>, String> refused =
        Map.of(
            Map.of("auth", "sometimes"), "cognito, external or none",
            Map.of("jwtIssuer", "https://issuer.example/"), "jwtAudience",
            Map.of("jwtAudience", "x"), "jwtIssuer",
            Map.of("auth", "cognito", "jwtIssuer", "https://issuer.example/", "jwtAudience", "x"),
                "auth=external",
            Map.of("auth", "none", "jwtIssuer", "https://issuer.example/", "jwtAudience", "x"),
                "auth=external",
            Map.of("auth", "none", "cognitoDomainPrefix", "acme"), "cognitoDomainPrefix",
            Map.of("jwtIssuer", "https://issuer.example/", "jwtAudience", "x", "oidcClientId", "c"),
                "oidcTokenUrl",
            Map.of("cognitoDomainPrefix", "Not_A_Prefix"), "cognitoDomainPrefix",
            Map.of("dashboardCallbackUrls", "http://dashboard.example/"), "dashboardCallbackUrls");
    refused.forEach(
        (context, named) ->
            assertThatThrownBy(() -> auth(context))
                .as("%s", context)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(named));
  }

  @Test
  void anAuthorizerWithoutTheHttpApi_isRefused_ratherThanDeployingAnUnguardedFunction() {
    for (Auth auth :
        List.of(
            Auth.Cognito.DEFAULT,
            new Auth.External("https://issuer.example/", List.of("x"), Optional.empty()))) {
      assertThatThrownBy(
              () -> SynthesizedStack.of(StackConfig.defaults().withAuth(auth).withHttpApi(false)))
          .as("%s", auth)
          .hasMessageContaining("auth=none");
    }
  }

  private static Auth auth(Map<String, String> context) {
    return Auth.fromContext(
        App.Builder.create().context(new HashMap<String, Object>(context)).build().getNode());
  }

  private static JsonNode onlyAuthorizer(SynthesizedStack synth) {
    List<String> authorizers = synth.ofType("AWS::ApiGatewayV2::Authorizer");
    assertThat(authorizers).hasSize(1);
    JsonNode authorizer = synth.properties(authorizers.get(0));
    assertThat(authorizer.path("AuthorizerType").asText()).isEqualTo("JWT");
    assertThat(SynthesizedStack.strings(authorizer.path("IdentitySource")))
        .containsExactly("$request.header.Authorization");
    return authorizer;
  }

  private static JsonNode apiEnvironment(SynthesizedStack synth) {
    return synth
        .properties(synth.function(synth.handler(Handlers.API)))
        .path("Environment")
        .path("Variables");
  }

  /** The sign-in settings go to the function that serves the dashboard, and to no other. */
  private static void assertOnlyTheApiKnowsTheSignIn(SynthesizedStack synth) {
    for (Handler handler : synth.catalogue().functions()) {
      if (handler.functionName().equals(Handlers.API)) {
        continue;
      }
      JsonNode env =
          synth.properties(synth.function(handler)).path("Environment").path("Variables");
      assertThat(Auth.DashboardSignIn.VARIABLES).as(handler.functionName()).noneMatch(env::has);
    }
  }

  private static void assertNoCognito(SynthesizedStack synth) {
    synth
        .resources
        .fields()
        .forEachRemaining(
            e ->
                assertThat(e.getValue().path("Type").asText())
                    .as(e.getKey())
                    .doesNotStartWith("AWS::Cognito::"));
  }
}
