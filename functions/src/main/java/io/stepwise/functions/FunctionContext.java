package io.stepwise.functions;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.env.Environment;

/**
 * The application context a handler's no-argument constructor starts on Lambda: the environments and the eager
 * configuration checks of Micronaut's {@code LambdaApplicationContextBuilder}, but singletons created on demand.
 * The Lambda builder creates every singleton of the jar at start, so each function paid for the clients,
 * publishers and async SDK clients of all the others (about 0.7 s of a step's init on a 2-core machine, see
 * {@code io.stepwise.bench.ColdStartBenchmark}); now a handler builds only what its constructor asks for, and
 * the SnapStart snapshot holds only that. The SnapStart priming ({@code io.stepwise.crac}) registers on start.
 */
public final class FunctionContext {

  private FunctionContext() {}

  public static ApplicationContext start() {
    return builder().build().start();
  }

  /**
   * The builder, for handlers whose base class builds the context itself: Micronaut's API Gateway function
   * takes it from an overridable {@code newApplicationContextBuilder()}.
   */
  public static ApplicationContextBuilder builder() {
    return ApplicationContext.builder()
        .environments(Environment.FUNCTION, "lambda")
        // Invalid configuration still fails the init phase, not the first request.
        .eagerInitConfiguration(true);
  }
}
