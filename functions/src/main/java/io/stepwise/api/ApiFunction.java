package io.stepwise.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import io.stepwise.lambda.FunctionContext;
import java.util.Map;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Lambda handler of the {@code api} function: API Gateway HTTP API (payload 2.0) events to the
 * controllers.
 *
 * <p>Its context creates singletons on demand, so a cold start without SnapStart builds only what a
 * request needs. With SnapStart the snapshot is taken after {@link #beforeCheckpoint}: one request
 * for a task that cannot exist goes through routing, the task controller and service, a DynamoDB
 * read and the problem response, so a restored api has them built and loaded. It reads no task data
 * (no task has that id) and no secret.
 */
public class ApiFunction extends APIGatewayV2HTTPEventFunction implements Resource {

  /** An id no task has: task ids are UUIDs. */
  static final String PRIMING_PATH = "/api/tasks/snapstart-priming";

  /**
   * What the Lambda runtime calls; registers the SnapStart priming (inert on a JVM without CRaC).
   */
  public ApiFunction() {
    super();
    Core.getGlobalContext().register(this);
  }

  /** Tests and the local runtime: a context they own, no priming. */
  public ApiFunction(ApplicationContext context) {
    super(context);
  }

  /**
   * The context every other handler starts ({@link FunctionContext}): singletons on demand.
   * Micronaut's default Lambda builder creates every singleton of the jar at init, the step
   * functions' clients and bodies included, which was 0.4 s of this function's cold start ({@code
   * io.stepwise.bench.ColdStartBenchmark}).
   */
  @Override
  protected ApplicationContextBuilder newApplicationContextBuilder() {
    return FunctionContext.builder();
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    prime();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    // Nothing to refresh: the request path reads clocks and credentials per call.
  }

  /** The priming request; answers the 404 the API gives an unknown task. */
  APIGatewayV2HTTPResponse prime() {
    APIGatewayV2HTTPEvent event =
        APIGatewayV2HTTPEvent.builder()
            .withVersion("2.0")
            .withRouteKey("$default")
            .withRawPath(PRIMING_PATH)
            .withRawQueryString("")
            .withHeaders(Map.of("accept", "application/json"))
            .withIsBase64Encoded(false)
            .withRequestContext(
                APIGatewayV2HTTPEvent.RequestContext.builder()
                    .withHttp(
                        APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                            .withMethod("GET")
                            .withPath(PRIMING_PATH)
                            .withSourceIp("127.0.0.1")
                            .build())
                    .withRouteKey("$default")
                    .withStage("$default")
                    .build())
            .build();
    return handleRequest(event, null);
  }
}
