package io.stepwise.api;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import io.stepwise.model.Pipelines;
import java.util.List;
import java.util.Map;

/** {@code GET /api/pipelines}: every deployed pipeline with its steps and the JSON Schema of its task input. */
@Controller("/api/pipelines")
public class PipelineController {

  private final Pipelines pipelines;
  private final TaskRequests requests;

  public PipelineController(Pipelines pipelines, TaskRequests requests) {
    this.pipelines = pipelines;
    this.requests = requests;
  }

  /** One pipeline as listed. */
  @Serdeable
  public record PipelineView(String name, List<StepView> steps, Map<String, Object> inputSchema) {}

  /** A step: its wire name and the state that runs it. */
  @Serdeable
  public record StepView(String name, String state) {}

  @Get
  public List<PipelineView> list() {
    return pipelines.all().stream()
        .map(p -> new PipelineView(
            p.name(),
            p.steps().stream().map(s -> new StepView(s.name(), s.state())).toList(),
            requests.input(p.name()).schema()))
        .toList();
  }
}
