package io.stepwise.pipelines.digest;

import io.micronaut.json.tree.JsonNode;
import io.stepwise.model.PipelineDefinition;
import io.stepwise.pipelines.digest.payload.PayloadRules;
import io.stepwise.pipelines.digest.payload.PlatformRules;
import java.util.List;
import java.util.Optional;

/**
 * The paper digest: {@code fetch_papers → analyze → render_images → build_payload → publish}
 * ({@code statemachine.asl.json}, the deployed default), with an optional review of the posts
 * before publish. Found by the core through {@code
 * META-INF/services/io.stepwise.model.PipelineDefinition}.
 */
public final class PaperDigest implements PipelineDefinition {

  public static final String NAME = "paper-digest";

  /** Wire names of the steps whose outputs later steps read. */
  public static final String FETCH_PAPERS = "fetch_papers";

  public static final String ANALYZE = "analyze";
  public static final String RENDER_IMAGES = "render_images";
  public static final String BUILD_PAYLOAD = "build_payload";
  public static final String PUBLISH = "publish";

  /** The qualifier of a step body bean of this pipeline. */
  public static final String FETCH_PAPERS_BODY = NAME + "/" + FETCH_PAPERS;

  public static final String ANALYZE_BODY = NAME + "/" + ANALYZE;
  public static final String RENDER_IMAGES_BODY = NAME + "/" + RENDER_IMAGES;
  public static final String BUILD_PAYLOAD_BODY = NAME + "/" + BUILD_PAYLOAD;
  public static final String PUBLISH_BODY = NAME + "/" + PUBLISH;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String aslFile() {
    return "statemachine.asl.json";
  }

  @Override
  public String resultKind() {
    return "posts";
  }

  /** A person may read the posts, as they will go out, before publish sends them. */
  @Override
  public Optional<String> reviewAfter() {
    return Optional.of(BUILD_PAYLOAD);
  }

  /** An edit of the posts keeps RedNote's limits; other steps' outputs are any JSON object. */
  @Override
  public List<String> outputViolations(String step, JsonNode output) {
    return BUILD_PAYLOAD.equals(step)
        ? new PayloadRules(PlatformRules.REDNOTE).violations(output)
        : PipelineDefinition.super.outputViolations(step, output);
  }

  @Override
  public List<StepHandler> functions() {
    return List.of(
        new StepHandler(FETCH_PAPERS, "fetch-papers", FetchPapersFunction.class, 1024, false, 300),
        new StepHandler(ANALYZE, "analyze", AnalyzeFunction.class, 1024, true, 840),
        // Java2D rasterises 1080x1440 cards: more memory buys proportionally more CPU.
        new StepHandler(
            RENDER_IMAGES, "render-images", RenderImagesFunction.class, 2048, false, 300),
        new StepHandler(
            BUILD_PAYLOAD, "build-payload", BuildPayloadFunction.class, 1024, false, 120),
        new StepHandler(PUBLISH, "publish", PublishFunction.class, 1024, false, 300));
  }
}
