package io.stepwise.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import io.stepwise.model.Pipeline;
import io.stepwise.model.PipelineDefinition;
import io.stepwise.model.Pipelines;
import io.stepwise.tasks.PipelineInput;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/pipelines}: every deployed pipeline with what a client needs to start and show
 * its tasks without knowing it: its steps (wire name, state, label), the JSON Schema of its task
 * input, how its result is shown ({@code resultKind}), whether it is the one a task body without
 * {@code pipeline} starts, and for each input field the first step that reads it ({@code readBy};
 * null: none), which decides from which steps a rerun may change it.
 */
@ApiResponse(
    responseCode = "401",
    description = ApiDocument.UNAUTHORIZED,
    content =
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ApiDocument.Unauthorized.class)))
@ApiResponse(
    responseCode = "4XX",
    description = ApiDocument.CLIENT_PROBLEM,
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(
    responseCode = "5XX",
    description = ApiDocument.SERVER_PROBLEM,
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
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
  public record PipelineView(
      String name,
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              description = "true for the pipeline a task or batch body without 'pipeline' starts")
          @JsonProperty("default")
          boolean isDefault,
      List<StepView> steps,
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              description =
                  "the JSON Schema (draft 2020-12) of a task body of this pipeline, without 'pipeline'")
          Map<String, Object> inputSchema,
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              description =
                  "how a succeeded task's result"
                      + " (GET /api/tasks/{taskId}/result) is shown: posts, report, or json (any other pipeline: the result as JSON)")
          String resultKind,
      @Schema(
              description =
                  "each input field and the first step that reads it (null: no step does, so it can always change)")
          Map<String, @Nullable String> readBy,
      @Nullable @Schema(
              description =
                  "the pipeline's review, if it has one: a task with review: true waits after this step")
          ReviewView review) {}

  /**
   * A pipeline's review: the step whose output waits for a person, whether tasks that do not say
   * are reviewed, and how long a review stays open.
   */
  @Serdeable
  public record ReviewView(String after, boolean byDefault, int timeoutSeconds) {}

  /** A step: its wire name, the state that runs it and the label people read. */
  @Serdeable
  public record StepView(
      String name,
      String state,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "e.g. Fetch papers")
          String label) {}

  @Get
  @Operation(operationId = "listPipelines")
  public List<PipelineView> list() {
    return pipelines.all().stream()
        .map(
            p -> {
              PipelineDefinition definition = pipelines.definition(p.name());
              return new PipelineView(
                  p.name(),
                  p.name().equals(requests.defaultPipeline()),
                  p.steps().stream()
                      .map(s -> new StepView(s.name(), s.state(), definition.stepLabel(s.name())))
                      .toList(),
                  requests.input(p.name()).schema(),
                  definition.resultKind(),
                  readBy(p),
                  p.review()
                      .map(
                          r ->
                              new ReviewView(
                                  r.reviews(),
                                  requests.reviewByDefault(p.name()),
                                  r.timeoutSeconds()))
                      .orElse(null));
            })
        .toList();
  }

  @SuppressWarnings("unchecked")
  private Map<String, String> readBy(Pipeline pipeline) {
    PipelineInput input = requests.input(pipeline.name());
    Map<String, String> declared = input.readBy();
    Map<String, String> readers = new LinkedHashMap<>();
    Object properties = input.schema().get("properties");
    if (properties instanceof Map<?, ?> fields) {
      for (Object field : fields.keySet()) {
        String name = String.valueOf(field);
        readers.put(
            name, declared.containsKey(name) ? declared.get(name) : pipeline.first().name());
      }
    }
    return readers;
  }
}
