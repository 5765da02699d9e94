package io.stepwise.testing;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.serde.annotation.Serdeable;
import io.stepwise.model.Pipeline;
import io.stepwise.model.Pipelines;
import io.stepwise.model.Step;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.pipelines.digest.analysis.AnalyzeBody;
import io.stepwise.pipelines.digest.papers.FetchPapersBody;
import io.stepwise.pipelines.digest.payload.BuildPayloadBody;
import io.stepwise.pipelines.digest.publish.PublishBody;
import io.stepwise.pipelines.digest.render.RenderImagesBody;
import io.stepwise.steps.StepBody;
import io.stepwise.steps.StepContext;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Test step bodies whose behaviour a test scripts per step. By default each step returns an output
 * that names its earlier steps' outputs, proving the runtime hands them over.
 */
@Singleton
public class ScriptedSteps {

  private final Map<String, Function<StepContext, Object>> scripts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

  /** What the default body returns. */
  @Serdeable
  public record Output(String step, String taskId, List<String> seen) {}

  public void on(String step, Function<StepContext, Object> script) {
    scripts.put(step, script);
  }

  /**
   * How often the body of this step ran (not counting invocations answered from the checkpoint).
   */
  public int runs(String step) {
    return runs.computeIfAbsent(step, s -> new AtomicInteger()).get();
  }

  public void reset() {
    scripts.clear();
    runs.clear();
  }

  Object run(String step, StepContext context) {
    runs.computeIfAbsent(step, s -> new AtomicInteger()).incrementAndGet();
    Function<StepContext, Object> script = scripts.get(step);
    if (script != null) {
      return script.apply(context);
    }
    List<String> seen = new ArrayList<>();
    Pipeline digest = Pipelines.installed().get(PaperDigest.NAME);
    for (Step earlier : digest.before(digest.require(step))) {
      if (earlier.isReview()) {
        continue; // a review leaves no output a later step reads
      }
      seen.add(context.output(earlier.name(), Output.class).step());
    }
    return new Output(step, context.taskId(), seen);
  }

  /** One body bean per step, replacing the real bodies in the {@code scripted} environment. */
  @Factory
  @Requires(env = "scripted")
  static class Bodies {
    private final Map<String, StepBody> bodies = new ConcurrentHashMap<>();

    @Singleton
    @Named(PaperDigest.FETCH_PAPERS_BODY)
    @Replaces(FetchPapersBody.class)
    StepBody fetch(ScriptedSteps s) {
      return body(PaperDigest.FETCH_PAPERS, s);
    }

    @Singleton
    @Named(PaperDigest.ANALYZE_BODY)
    @Replaces(AnalyzeBody.class)
    StepBody analyze(ScriptedSteps s) {
      return body(PaperDigest.ANALYZE, s);
    }

    @Singleton
    @Named(PaperDigest.RENDER_IMAGES_BODY)
    @Replaces(RenderImagesBody.class)
    StepBody render(ScriptedSteps s) {
      return body(PaperDigest.RENDER_IMAGES, s);
    }

    @Singleton
    @Named(PaperDigest.BUILD_PAYLOAD_BODY)
    @Replaces(BuildPayloadBody.class)
    StepBody build(ScriptedSteps s) {
      return body(PaperDigest.BUILD_PAYLOAD, s);
    }

    @Singleton
    @Named(PaperDigest.PUBLISH_BODY)
    @Replaces(PublishBody.class)
    StepBody publish(ScriptedSteps s) {
      return body(PaperDigest.PUBLISH, s);
    }

    private StepBody body(String step, ScriptedSteps scripts) {
      return bodies.computeIfAbsent(step, s -> context -> scripts.run(s, context));
    }
  }
}
