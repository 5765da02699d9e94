package io.stepwise.infra;

import io.stepwise.model.PipelineDefinition;
import io.stepwise.model.Pipelines;
import java.util.ArrayList;
import java.util.List;

/**
 * A second pipeline, for the infra tests only: {@code draft → deliver} ({@code io/stepwise/infra/echo.asl.json}),
 * so the tests see what the stack does with several pipelines before a second one ships. Its RecordFailure state
 * allows less time than the digest's, so record-failure's timeout must follow the shorter one.
 */
public final class EchoPipeline implements PipelineDefinition {

  public static final String NAME = "echo";
  static final String ASL = "io/stepwise/infra/echo.asl.json";

  private final String aslResource;

  public EchoPipeline() {
    this(ASL);
  }

  /** The same pipeline with another ASL (a broken one, for a test that synthesis refuses it). */
  EchoPipeline(String aslResource) {
    this.aslResource = aslResource;
  }

  /** Handler classes: synthesis only names them. */
  public static final class DraftFunction {}

  public static final class DeliverFunction {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String aslResource() {
    return aslResource;
  }

  @Override
  public List<StepHandler> functions() {
    return List.of(
        new StepHandler("draft", "echo-draft", DraftFunction.class, 512, false),
        new StepHandler("deliver", "echo-deliver", DeliverFunction.class, 768, false));
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
