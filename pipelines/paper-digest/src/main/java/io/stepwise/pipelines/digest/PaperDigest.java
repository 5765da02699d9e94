package io.stepwise.pipelines.digest;

import io.stepwise.model.PipelineDefinition;
import java.util.List;

/**
 * The paper digest: {@code fetch_papers → analyze → render_images → build_payload → publish}
 * ({@code statemachine.asl.json}, the deployed default). Found by the core through {@code
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
