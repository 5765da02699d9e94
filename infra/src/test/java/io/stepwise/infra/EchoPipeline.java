package io.stepwise.infra;

import io.stepwise.model.PipelineDefinition;
import io.stepwise.model.Pipelines;
import java.util.ArrayList;
import java.util.List;

/**
 * A third pipeline, for the infra tests only: {@code draft → deliver}, its workflow generated like
 * every pipeline's, so the tests see what the stack does with a pipeline it has never seen.
 */
public final class EchoPipeline implements PipelineDefinition {

  public static final String NAME = "echo";

  /** Handler classes: synthesis only names them. */
  public static final class DraftFunction {}

  public static final class DeliverFunction {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String aslFile() {
    return "(not committed: an infra test pipeline)";
  }

  @Override
  public List<StepHandler> functions() {
    return List.of(
        new StepHandler("draft", "echo-draft", DraftFunction.class, 512, false, 200),
        new StepHandler("deliver", "echo-deliver", DeliverFunction.class, 768, false, 90));
  }

  /** The installed pipelines and this one. */
  static Pipelines withInstalled() {
    return withInstalled(new EchoPipeline());
  }

  static Pipelines withInstalled(EchoPipeline echo) {
    Pipelines installed = Pipelines.installed();
    List<PipelineDefinition> definitions = new ArrayList<>();
    installed.names().forEach(name -> definitions.add(installed.definition(name)));
    definitions.add(echo);
    return Pipelines.of(definitions);
  }
}
