package io.stepwise.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.stepwise.logging.LogContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;

/**
 * Base of every non-HTTP handler: the Lambda runtime hands it JSON bytes, Micronaut serde
 * (compile-time, no reflection) reads the typed input, and the typed result is written back.
 * Handlers stay thin: parse, call the service, map. The no-argument constructor is what Lambda
 * uses; the other lets tests and the local runtime share one application context.
 *
 * @param <I> input type
 * @param <O> output type
 */
public abstract class JsonFunction<I, O> implements RequestStreamHandler, AutoCloseable {

  private final ApplicationContext context;
  private final boolean ownsContext;
  private final JsonMapper json;
  private final Class<I> inputType;

  protected JsonFunction(Class<I> inputType) {
    this(FunctionContext.start(), true, inputType);
  }

  protected JsonFunction(ApplicationContext context, Class<I> inputType) {
    this(context, false, inputType);
  }

  private JsonFunction(ApplicationContext context, boolean ownsContext, Class<I> inputType) {
    this.context = context;
    this.ownsContext = ownsContext;
    this.inputType = inputType;
    this.json = context.getBean(JsonMapper.class);
  }

  protected final <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  @Override
  public final void handleRequest(InputStream input, OutputStream output, Context lambdaContext)
      throws IOException {
    String requestId = lambdaContext == null ? null : lambdaContext.getAwsRequestId();
    try (LogContext fields = LogContext.with(Collections.singletonMap("requestId", requestId))) {
      I request = json.readValue(input.readAllBytes(), inputType);
      O result = handle(request);
      output.write(json.writeValueAsBytes(result));
    }
  }

  /**
   * The typed entry point; exceptions propagate to the Lambda runtime, which reports their class
   * name.
   */
  public abstract O handle(I input);

  @Override
  public void close() {
    if (ownsContext) {
      context.close();
    }
  }
}
