package io.stepwise.testing;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.serde.annotation.Serdeable;
import io.stepwise.steps.StepBody;
import io.stepwise.steps.StepContext;
import io.stepwise.steps.StepName;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Test step bodies whose behaviour a test scripts per step. By default each step returns an output that
 * names its earlier steps' outputs, proving the runtime hands them over.
 */
@Singleton
public class ScriptedSteps {

  private final Map<StepName, Function<StepContext, Object>> scripts = new ConcurrentHashMap<>();
  private final Map<StepName, AtomicInteger> runs = new ConcurrentHashMap<>();

  /** What the default body returns. */
  @Serdeable
  public record Output(String step, String taskId, List<String> seen) {}

  public void on(StepName step, Function<StepContext, Object> script) {
    scripts.put(step, script);
  }

  /** How often the body of this step ran (not counting invocations answered from the checkpoint). */
  public int runs(StepName step) {
    return runs.computeIfAbsent(step, s -> new AtomicInteger()).get();
  }

  public void reset() {
    scripts.clear();
    runs.clear();
  }

  Object run(StepName step, StepContext context) {
    runs.computeIfAbsent(step, s -> new AtomicInteger()).incrementAndGet();
    Function<StepContext, Object> script = scripts.get(step);
    if (script != null) {
      return script.apply(context);
    }
    List<String> seen = new ArrayList<>();
    for (StepName earlier : step.before()) {
      seen.add(context.output(earlier, Output.class).step());
    }
    return new Output(step.wire(), context.taskId(), seen);
  }

  /** One body bean per step, replacing the real bodies in the {@code scripted} environment. */
  @Factory
  @Requires(env = "scripted")
  static class Bodies {
    private final Map<StepName, StepBody> bodies = new EnumMap<>(StepName.class);

    @Singleton
    @Named("fetch_papers")
    @Replaces(io.stepwise.pipelines.digest.papers.FetchPapersBody.class)
    StepBody fetch(ScriptedSteps s) {
      return body(StepName.FETCH_PAPERS, s);
    }

    @Singleton
    @Named("analyze")
    @Replaces(io.stepwise.pipelines.digest.analysis.AnalyzeBody.class)
    StepBody analyze(ScriptedSteps s) {
      return body(StepName.ANALYZE, s);
    }

    @Singleton
    @Named("render_images")
    @Replaces(io.stepwise.pipelines.digest.render.RenderImagesBody.class)
    StepBody render(ScriptedSteps s) {
      return body(StepName.RENDER_IMAGES, s);
    }

    @Singleton
    @Named("build_payload")
    @Replaces(io.stepwise.pipelines.digest.payload.BuildPayloadBody.class)
    StepBody build(ScriptedSteps s) {
      return body(StepName.BUILD_PAYLOAD, s);
    }

    @Singleton
    @Named("publish")
    @Replaces(io.stepwise.pipelines.digest.publish.PublishBody.class)
    StepBody publish(ScriptedSteps s) {
      return body(StepName.PUBLISH, s);
    }

    private StepBody body(StepName step, ScriptedSteps scripts) {
      return bodies.computeIfAbsent(
          step,
          s ->
              new StepBody() {
                @Override
                public StepName step() {
                  return s;
                }

                @Override
                public Object run(StepContext context) {
                  return scripts.run(s, context);
                }
              });
    }
  }
}
