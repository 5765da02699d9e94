package io.stepwise.testing;

import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.stepwise.catalog.Handler;
import io.stepwise.catalog.Handlers;
import io.stepwise.model.Pipeline;
import io.stepwise.model.Pipelines;
import io.stepwise.model.Step;
import io.stepwise.steps.StepFunction;
import io.stepwise.steps.StepInvocation;
import io.stepwise.steps.StepSummary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Invokes a pipeline's step handlers (from the handler catalogue) through the entry point the
 * Lambda runtime calls (JSON bytes in and out), as the state machine would: in order, from a start
 * step, stopping at the first error. The default pipeline ({@code stepwise.pipelines.default})
 * unless another is named.
 */
public final class StepDriver {

  private final Map<String, StepFunction> functions = new HashMap<>();
  private final Pipeline pipeline;
  private final JsonMapper json;

  public StepDriver(ApplicationContext context) {
    this(context, context.getRequiredProperty("stepwise.pipelines.default", String.class));
  }

  public StepDriver(ApplicationContext context, String pipelineName) {
    this.pipeline = context.getBean(Pipelines.class).get(pipelineName);
    for (Handler handler : Handlers.of(context.getBean(Pipelines.class)).steps(pipelineName)) {
      functions.put(handler.step(), newFunction(handler, context));
    }
    this.json = context.getBean(JsonMapper.class);
  }

  private static StepFunction newFunction(Handler handler, ApplicationContext context) {
    try {
      return (StepFunction)
          handler.handlerClass().getConstructor(ApplicationContext.class).newInstance(context);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + handler.className(), e);
    }
  }

  public StepSummary invoke(String taskId, String runId, String step) {
    try {
      byte[] payload =
          json.writeValueAsBytes(new StepInvocation(taskId, runId, step, 0, 0, "arn:test"));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      functions
          .get(step)
          .handleRequest(new ByteArrayInputStream(payload), out, new TestLambdaContext(step));
      return json.readValue(out.toByteArray(), StepSummary.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the pipeline from {@code start} to the end; the first step error propagates. */
  public void runFrom(String taskId, String runId, String start) {
    runFrom(taskId, runId, start, pipeline.last().name());
  }

  /** Runs the steps from {@code start} to {@code last}, both included. */
  public void runFrom(String taskId, String runId, String start, String last) {
    int end = pipeline.require(last).index();
    for (Step step : pipeline.fromHere(pipeline.require(start))) {
      if (step.index() > end) {
        return;
      }
      if (step.isReview()) {
        continue; // as the state machine's ReviewWanted Choice does for a task without review
      }
      invoke(taskId, runId, step.name());
    }
  }
}
