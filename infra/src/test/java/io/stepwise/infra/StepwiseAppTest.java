package io.stepwise.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepwise.catalog.Handlers;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

/** Configuration through context, and what synthesis warns about. */
class StepwiseAppTest {

  @Test
  void cdkJsonContext_givesTheDefaultConfiguration() {
    App app = App.Builder.create().context(SynthesizedStack.cdkJsonContext()).build();
    assertThat(StackConfig.fromContext(app.getNode())).isEqualTo(StackConfig.defaults());
  }

  @Test
  void theObsoleteDefinitionContext_isRefusedRatherThanIgnored() {
    App app =
        App.Builder.create().context(Map.of("definition", "../statemachine.asl.json")).build();
    assertThatThrownBy(() -> StackConfig.fromContext(app.getNode()))
        .hasMessageContaining("'definition' is no longer read")
        .hasMessageContaining("functions jar");
  }

  @Test
  void contextValues_chooseJwtModelsAndApi() {
    App app =
        App.Builder.create()
            .context(
                Map.of(
                    "jwtIssuer",
                    "https://issuer.example/",
                    "jwtAudience",
                    "a, b",
                    "models",
                    "openai,claude",
                    "httpApi",
                    "false"))
            .build();
    StackConfig config = StackConfig.fromContext(app.getNode());
    assertThat(config.auth())
        .isEqualTo(
            new Auth.External("https://issuer.example/", List.of("a", "b"), Optional.empty()));
    assertThat(config.models()).containsExactly("openai", "claude");
    assertThat(config.httpApi()).isFalse();
  }

  @Test
  void contextValues_setTheApiThrottleOfTheDefaultStage() {
    App app =
        App.Builder.create().context(Map.of("apiRateLimit", "2.5", "apiBurstLimit", "7")).build();
    StackConfig config = StackConfig.fromContext(app.getNode());
    assertThat(config.apiThrottle()).isEqualTo(new StackConfig.Throttle(2.5, 7));

    SynthesizedStack synth =
        SynthesizedStack.of(StackConfig.defaults().withApiThrottle(config.apiThrottle()));
    JsonNode routeSettings =
        synth
            .properties(synth.ofType("AWS::ApiGatewayV2::Stage").get(0))
            .path("DefaultRouteSettings");
    assertThat(routeSettings.path("ThrottlingRateLimit").asDouble()).isEqualTo(2.5);
    assertThat(routeSettings.path("ThrottlingBurstLimit").asInt()).isEqualTo(7);
  }

  @Test
  void apiThrottleContext_thatIsNoPositiveNumber_stopsSynthesisNamingTheKey() {
    for (var context :
        List.of(
            Map.of("apiRateLimit", "fast"), Map.of("apiRateLimit", "0"),
            Map.of("apiRateLimit", "-1"), Map.of("apiRateLimit", "NaN"),
            Map.of("apiBurstLimit", "2.5"), Map.of("apiBurstLimit", "0"))) {
      App app = App.Builder.create().context(context).build();
      String key = context.keySet().iterator().next();
      assertThatThrownBy(() -> StackConfig.fromContext(app.getNode()))
          .as("%s", context)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(key);
    }
  }

  @Test
  void theDefaultSynthesis_signsInThroughCognito_andWarnsOfNothing() {
    assertThat(StackConfig.defaults().auth()).isEqualTo(Auth.Cognito.DEFAULT);
    assertThat(SynthesizedStack.defaults().warnings()).isEmpty();
  }

  @Test
  void openApi_isTheOnlyWarningOfAuthNone() {
    List<String> warnings =
        SynthesizedStack.of(StackConfig.defaults().withAuth(new Auth.None())).warnings();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0))
        .contains("open to anyone")
        .contains("auth=none")
        .contains("jwtIssuer");
  }

  @Test
  void
      withJwt_everyApiRouteRequiresTheAuthorizer_theDashboardsStaticRoutesDoNot_andSynthesisWarnsOfNothing() {
    SynthesizedStack synth =
        SynthesizedStack.of(
            StackConfig.defaults().withJwt("https://issuer.example/", List.of("stepwise")));
    assertThat(synth.warnings()).isEmpty();
    List<String> authorizers = synth.ofType("AWS::ApiGatewayV2::Authorizer");
    assertThat(authorizers).hasSize(1);
    JsonNode authorizer = synth.properties(authorizers.get(0));
    assertThat(authorizer.path("AuthorizerType").asText()).isEqualTo("JWT");
    assertThat(authorizer.path("JwtConfiguration").path("Issuer").asText())
        .isEqualTo("https://issuer.example/");
    assertThat(SynthesizedStack.strings(authorizer.path("JwtConfiguration").path("Audience")))
        .containsExactly("stepwise");
    List<String> routes = synth.ofType("AWS::ApiGatewayV2::Route");
    Map<String, String> authorization = new HashMap<>();
    for (String route : routes) {
      JsonNode props = synth.properties(route);
      authorization.put(props.path("RouteKey").asText(), props.path("AuthorizationType").asText());
      if (props.path("AuthorizationType").asText().equals("JWT")) {
        assertThat(props.path("AuthorizerId").path("Ref").asText()).isEqualTo(authorizers.get(0));
      }
    }
    // $default (every /api route) needs the JWT; the page and its assets are static and open, so a
    // browser can load them
    assertThat(authorization)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("$default", "JWT", "GET /", "NONE", "GET /assets/{name}", "NONE"));
  }

  @Test
  void withoutHttpApi_theApiFunctionStaysAndNoGatewayIsCreated() {
    SynthesizedStack synth =
        SynthesizedStack.of(StackConfig.defaults().withAuth(new Auth.None()).withHttpApi(false));
    assertThat(synth.ofType("AWS::ApiGatewayV2::Api")).isEmpty();
    assertThat(synth.liveAlias(synth.handler(Handlers.API))).isNotBlank();
    synth.template.resourceCountIs(
        "AWS::CloudWatch::Alarm", 8); // one per pipeline, the health check's, five alert rules
  }

  @Test
  void missingJar_stopsSynthesisNamingTheBuild() {
    StackConfig noJar =
        new StackConfig(
            Path.of("target/no-such.jar"),
            Auth.Cognito.DEFAULT,
            List.of("openai"),
            true,
            Map.of(),
            List.of());
    assertThatThrownBy(() -> SynthesizedStack.of(noJar))
        .hasMessageContaining("no-such.jar is missing")
        .hasMessageContaining("./mvnw package");
  }
}
