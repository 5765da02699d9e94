package io.stepwise.api;

import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;

/** Lambda handler of the {@code api} function: API Gateway HTTP API (payload 2.0) events to the controllers. */
public class ApiFunction extends APIGatewayV2HTTPEventFunction {

  public ApiFunction() {
    super();
  }

  public ApiFunction(ApplicationContext context) {
    super(context);
  }
}
