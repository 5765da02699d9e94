package io.stepwise.api;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import io.stepwise.functions.FunctionContext;

/** Lambda handler of the {@code api} function: API Gateway HTTP API (payload 2.0) events to the controllers. */
public class ApiFunction extends APIGatewayV2HTTPEventFunction {

  public ApiFunction() {
    super();
  }

  public ApiFunction(ApplicationContext context) {
    super(context);
  }

  /**
   * The context every other handler starts ({@link FunctionContext}): singletons on demand. Micronaut's default
   * Lambda builder creates every singleton of the jar at init, the step functions' clients and bodies included,
   * which was 0.4 s of this function's cold start ({@code io.stepwise.bench.ColdStartBenchmark}).
   */
  @Override
  protected ApplicationContextBuilder newApplicationContextBuilder() {
    return FunctionContext.builder();
  }
}
