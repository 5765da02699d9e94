package io.stepwise.testing;

import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.stepwise.pipelines.digest.AnalyzeFunction;
import io.stepwise.pipelines.digest.BuildPayloadFunction;
import io.stepwise.pipelines.digest.FetchPapersFunction;
import io.stepwise.pipelines.digest.PublishFunction;
import io.stepwise.pipelines.digest.RenderImagesFunction;
import io.stepwise.steps.StepFunction;
import io.stepwise.steps.StepInvocation;
import io.stepwise.steps.StepName;
import io.stepwise.steps.StepSummary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * Invokes the five step handlers through the entry point the Lambda runtime calls (JSON bytes in and out),
 * as the state machine would: in order, from a start step, stopping at the first error.
 */
public final class StepDriver {

  private final Map<StepName, StepFunction> functions = new EnumMap<>(StepName.class);
  private final JsonMapper json;

  public StepDriver(ApplicationContext context) {
    functions.put(StepName.FETCH_PAPERS, new FetchPapersFunction(context));
    functions.put(StepName.ANALYZE, new AnalyzeFunction(context));
    functions.put(StepName.RENDER_IMAGES, new RenderImagesFunction(context));
    functions.put(StepName.BUILD_PAYLOAD, new BuildPayloadFunction(context));
    functions.put(StepName.PUBLISH, new PublishFunction(context));
    this.json = context.getBean(JsonMapper.class);
  }

  public StepSummary invoke(String taskId, String runId, StepName step) {
    try {
      byte[] payload = json.writeValueAsBytes(new StepInvocation(taskId, runId, step.wire(), 0, 0, "arn:test"));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      functions.get(step).handleRequest(new ByteArrayInputStream(payload), out, new TestLambdaContext(step.wire()));
      return json.readValue(out.toByteArray(), StepSummary.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the pipeline from {@code start} to the end; the first step error propagates. */
  public void runFrom(String taskId, String runId, StepName start) {
    runFrom(taskId, runId, start, StepName.PUBLISH);
  }

  /** Runs the steps from {@code start} to {@code last}, both included. */
  public void runFrom(String taskId, String runId, StepName start, StepName last) {
    for (StepName step : start.fromHere()) {
      if (step.index() > last.index()) {
        return;
      }
      invoke(taskId, runId, step);
    }
  }
}
