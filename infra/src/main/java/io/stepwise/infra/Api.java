package io.stepwise.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegrationProps;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpNoneAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.apigatewayv2.HttpRouteKey;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.HttpStageOptions;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.PayloadFormatVersion;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The HTTP API (API Gateway v2, payload 2.0): every route to the api alias. A JWT authorizer guards
 * every route but the dashboard's static ones: tokens of the stack's own Cognito user pool ({@link
 * SignIn}, the default) or of an external issuer ({@code jwtIssuer}, {@code jwtAudience}); with
 * {@code auth=none} the API is open and synthesis says so with a warning. Its {@code $default}
 * stage throttles ({@code apiRateLimit}, {@code apiBurstLimit}) and writes a JSON access log line
 * per request.
 */
final class Api extends Construct {

  static final String OPEN_API_WARNING_ID = "stepwise:openApi";

  /**
   * One access log line: who (source IP, the JWT's {@code sub} when an authorizer checked one),
   * what (method, path, route), the outcome (status, gateway or authorizer error such as a 429 from
   * the throttle, integration error) and timings. All values quoted: an absent one is {@code "-"},
   * still valid JSON.
   */
  static final Map<String, String> ACCESS_LOG_FIELDS = accessLogFields();

  private final HttpApi httpApi;
  private final SignIn signIn;
  private final Optional<Auth.DashboardSignIn> dashboardSignIn;

  /**
   * @param scope the stack: the sign-in's user pool is created there, beside the API rather than
   *     inside it
   */
  Api(Construct scope, StackConfig config, StepwiseFunction api) {
    super(scope, "Api");
    HttpLambdaIntegration integration =
        new HttpLambdaIntegration(
            "ApiFunction",
            api.alias(),
            HttpLambdaIntegrationProps.builder()
                .payloadFormatVersion(PayloadFormatVersion.VERSION_2_0)
                .build());
    httpApi =
        HttpApi.Builder.create(this, "HttpApi")
            .description("Stepwise task API")
            // Declared below with its throttle and access log, under the id HttpApi would give it,
            // so a deployed
            // stage is updated in place rather than replaced.
            .createDefaultStage(false)
            .build();
    // The routes come after the API: the Cognito client's callback URL is this API's endpoint, and
    // the authorizer
    // names the client, so the API cannot take its authorizer at construction.
    IHttpRouteAuthorizer authorizer = null;
    if (config.auth() instanceof Auth.Cognito cognito) {
      signIn = new SignIn(scope, cognito, dashboardUrl());
      authorizer = signIn.authorizer();
      dashboardSignIn = Optional.of(signIn.dashboard());
    } else if (config.auth() instanceof Auth.External external) {
      signIn = null;
      authorizer =
          HttpJwtAuthorizer.Builder.create("Jwt", external.issuer())
              .jwtAudience(external.audience())
              .build();
      dashboardSignIn = external.dashboard();
    } else {
      signIn = null;
      dashboardSignIn = Optional.empty();
      Annotations.of(this)
          .addWarningV2(
              OPEN_API_WARNING_ID,
              "The HTTP API is open to anyone (auth=none): leave auth unset for a Cognito user pool, or set jwtIssuer "
                  + "and jwtAudience to require a JWT of your own issuer.");
    }
    // Under the id and with the key HttpApi gives its default route, so a deployed route is updated
    // in place.
    HttpRoute defaultRoute =
        HttpRoute.Builder.create(httpApi, "DefaultRoute")
            .httpApi(httpApi)
            .routeKey(HttpRouteKey.DEFAULT)
            .integration(integration)
            .authorizer(authorizer)
            .build();
    if (authorizer == null) {
      Nag.acknowledge(
          defaultRoute,
          "APIG4",
          "Open only because this deployment sets auth=none (a choice, e.g. for LocalStack, which has no Cognito in "
              + "its free edition); synthesis warns "
              + OPEN_API_WARNING_ID
              + ", and by default a Cognito JWT "
              + "authorizer guards this route. The stage's throttle bounds what an anonymous caller can spend.");
    } else {
      publicDashboard(integration);
    }
    defaultStage(config.apiThrottle());
  }

  /** The dashboard's routes, open even with an authorizer: static files with no data in them. */
  static final List<String> PUBLIC_DASHBOARD_PATHS = List.of("/", "/assets/{name}");

  /**
   * With an authorizer, the dashboard's page and assets stay open so that a browser can load it at
   * all (a browser sends no bearer token for a page load); every {@code /api} route keeps the
   * authorizer, so the page can read nothing without signing in.
   */
  private void publicDashboard(HttpLambdaIntegration integration) {
    for (String path : PUBLIC_DASHBOARD_PATHS) {
      for (HttpRoute route :
          httpApi.addRoutes(
              AddRoutesOptions.builder()
                  .path(path)
                  .methods(List.of(HttpMethod.GET))
                  .integration(integration)
                  .authorizer(new HttpNoneAuthorizer())
                  .build())) {
        Nag.acknowledge(
            route,
            "APIG4",
            "The dashboard's static page and assets ("
                + path
                + "): no data, and a browser loading a page sends no "
                + "token; every /api route keeps the JWT authorizer.");
      }
    }
  }

  private HttpStage defaultStage(StackConfig.Throttle throttle) {
    LogGroup accessLogs =
        LogGroup.Builder.create(this, "AccessLogs")
            .retention(StepwiseFunction.LOG_RETENTION)
            .build();
    IAccessLogSettings accessLogSettings =
        new IAccessLogSettings() {
          @Override
          public IAccessLogDestination getDestination() {
            return new LogGroupLogDestination(accessLogs);
          }

          @Override
          public AccessLogFormat getFormat() {
            return AccessLogFormat.custom(json(ACCESS_LOG_FIELDS));
          }
        };
    return httpApi.addStage(
        "DefaultStage",
        HttpStageOptions.builder()
            .stageName("$default")
            .autoDeploy(true)
            .throttle(
                ThrottleSettings.builder()
                    .rateLimit(throttle.rateLimit())
                    .burstLimit(throttle.burstLimit())
                    .build())
            .accessLogSettings(accessLogSettings)
            .build());
  }

  private static Map<String, String> accessLogFields() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("requestId", "$context.requestId");
    fields.put("requestTime", "$context.requestTime");
    fields.put("sourceIp", "$context.identity.sourceIp");
    fields.put("userAgent", "$context.identity.userAgent");
    fields.put("sub", "$context.authorizer.claims.sub");
    fields.put("httpMethod", "$context.httpMethod");
    fields.put("path", "$context.path");
    fields.put("routeKey", "$context.routeKey");
    fields.put("protocol", "$context.protocol");
    fields.put("status", "$context.status");
    fields.put("responseLength", "$context.responseLength");
    fields.put("responseLatency", "$context.responseLatency");
    fields.put("integrationLatency", "$context.integrationLatency");
    fields.put("error", "$context.error.message");
    fields.put("authorizerError", "$context.authorizer.error");
    fields.put("integrationError", "$context.integrationErrorMessage");
    return Collections.unmodifiableMap(fields);
  }

  private static String json(Map<String, String> fields) {
    try {
      return new ObjectMapper().writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  HttpApi httpApi() {
    return httpApi;
  }

  String url() {
    return httpApi.getApiEndpoint();
  }

  /** The dashboard's address: the API's {@code /}, where sign-in sends the browser back to. */
  String dashboardUrl() {
    return httpApi.getApiEndpoint() + "/";
  }

  /** The stack's own user pool, with {@code auth=cognito}. */
  Optional<SignIn> signIn() {
    return Optional.ofNullable(signIn);
  }

  /**
   * How the dashboard signs in: Cognito's hosted pages, the external issuer's if configured, or not
   * at all.
   */
  Optional<Auth.DashboardSignIn> dashboardSignIn() {
    return dashboardSignIn;
  }
}
