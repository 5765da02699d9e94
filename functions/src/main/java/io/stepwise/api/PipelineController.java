package io.stepwise.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import io.stepwise.model.Pipelines;
import io.stepwise.tasks.PipelineInput;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/pipelines}: every deployed pipeline with its steps, the JSON Schema of its task input, and for
 * each input field the first step that reads it ({@code readBy}; null: none), which decides from which steps a
 * rerun may change it.
 */
@ApiResponse(responseCode = "401", description = ApiDocument.UNAUTHORIZED,
    content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiDocument.Unauthorized.class)))
@ApiResponse(responseCode = "4XX", description = ApiDocument.CLIENT_PROBLEM,
    content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "5XX", description = ApiDocument.SERVER_PROBLEM,
    content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
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
  public record PipelineView(String name, List<StepView> steps, Map<String, Object> inputSchema,
      @Schema(description = "each input field and the first step that reads it (null: no step does, so it can always change)")
      Map<String, @Nullable String> readBy) {}

  /** A step: its wire name and the state that runs it. */
  @Serdeable
  public record StepView(String name, String state) {}

  @Get
  @Operation(operationId = "listPipelines")
  public List<PipelineView> list() {
    return pipelines.all().stream()
        .map(p -> new PipelineView(
            p.name(),
            p.steps().stream().map(s -> new StepView(s.name(), s.state())).toList(),
            requests.input(p.name()).schema(),
            readBy(p)))
        .toList();
  }

  @SuppressWarnings("unchecked")
  private Map<String, String> readBy(io.stepwise.model.Pipeline pipeline) {
    PipelineInput input = requests.input(pipeline.name());
    Map<String, String> declared = input.readBy();
    Map<String, String> readers = new java.util.LinkedHashMap<>();
    Object properties = input.schema().get("properties");
    if (properties instanceof Map<?, ?> fields) {
      for (Object field : fields.keySet()) {
        String name = String.valueOf(field);
        readers.put(name, declared.containsKey(name) ? declared.get(name) : pipeline.first().name());
      }
    }
    return readers;
  }
}
