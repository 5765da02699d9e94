package io.stepwise.infra;

import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.PayloadFormatVersion;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegrationProps;
import software.constructs.Construct;

/**
 * The HTTP API (API Gateway v2, payload 2.0): every route to the api alias. With {@code jwtIssuer} and
 * {@code jwtAudience} in context a JWT authorizer guards every route; without, the API is open and synthesis
 * says so with a warning.
 */
final class Api extends Construct {

  static final String OPEN_API_WARNING_ID = "stepwise:openApi";

  private final HttpApi httpApi;

  Api(Construct scope, StackConfig config, StepwiseFunction api) {
    super(scope, "Api");
    HttpApi.Builder builder =
        HttpApi.Builder.create(this, "HttpApi")
            .description("Stepwise task API")
            .defaultIntegration(
                new HttpLambdaIntegration(
                    "ApiFunction",
                    api.alias(),
                    HttpLambdaIntegrationProps.builder()
                        .payloadFormatVersion(PayloadFormatVersion.VERSION_2_0)
                        .build()));
    if (config.jwtConfigured()) {
      builder.defaultAuthorizer(
          HttpJwtAuthorizer.Builder.create("Jwt", config.jwtIssuer())
              .jwtAudience(config.jwtAudience())
              .build());
    } else {
      Annotations.of(this)
          .addWarningV2(
              OPEN_API_WARNING_ID,
              "The HTTP API is open to anyone: set the context values jwtIssuer and jwtAudience to require a JWT.");
    }
    httpApi = builder.build();
  }

  HttpApi httpApi() {
    return httpApi;
  }

  String url() {
    return httpApi.getApiEndpoint();
  }
}
