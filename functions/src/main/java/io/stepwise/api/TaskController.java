package io.stepwise.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.batches.BatchService;
import io.stepwise.batches.BulkRecovery;
import io.stepwise.model.Checkpoint;
import io.stepwise.model.Pipelines;
import io.stepwise.model.Step;
import io.stepwise.model.StepState;
import io.stepwise.model.TaskRecord;
import io.stepwise.model.TaskStatus;
import io.stepwise.model.Times;
import io.stepwise.tasks.TaskRepository;
import io.stepwise.tasks.TaskService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /api/tasks}: thin mapping between HTTP and {@link TaskService}. */
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
@Controller("/api/tasks")
public class TaskController {

  /**
   * API Gateway allows 10 MB; task bodies are tiny, so anything past this is a mistake or abuse.
   */
  static final int MAX_BODY_BYTES = 256 * 1024;

  private static final int MAX_KEY_LENGTH = 200;

  private final TaskService tasks;
  private final TaskRequests parser;
  private final TaskViews views;
  private final JsonMapper json;
  private final Pipelines pipelines;
  private final Callers callers;
  private final BulkRecovery recovery;
  private final RecoveryRequests recoveryRequests;

  private final BatchService batches;

  public TaskController(
      TaskService tasks,
      TaskRequests parser,
      TaskViews views,
      JsonMapper json,
      Pipelines pipelines,
      Callers callers,
      BulkRecovery recovery,
      RecoveryRequests recoveryRequests,
      BatchService batches) {
    this.batches = batches;
    this.recovery = recovery;
    this.recoveryRequests = recoveryRequests;
    this.callers = callers;
    this.tasks = tasks;
    this.parser = parser;
    this.views = views;
    this.json = json;
    this.pipelines = pipelines;
  }

  @Status(HttpStatus.ACCEPTED)
  @ApiResponse(
      responseCode = "202",
      description = "accepted",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = TaskView.class)))
  @RequestBody(
      required = false,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ApiDocument.TaskRequest.class)))
  @Post(consumes = {MediaType.APPLICATION_JSON, MediaType.ALL})
  @Operation(operationId = "createTask")
  public HttpResponse<TaskView> create(
      HttpRequest<?> request,
      @Nullable @Body String body,
      @Nullable @Header("Idempotency-Key") String idempotencyKey) {
    PayloadTooLargeException.check(body, MAX_BODY_BYTES);
    if (idempotencyKey != null
        && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_KEY_LENGTH)) {
      throw new BadRequestException(
          "Idempotency-Key must be 1 to " + MAX_KEY_LENGTH + " characters");
    }
    var task = parser.parse(body);
    var created =
        tasks.create(
            task.pipeline(), task.input(), idempotencyKey, callers.of(request).ownerId(), null);
    return HttpResponse.accepted().body(views.view(created));
  }

  @ApiResponse(
      responseCode = "200",
      description = "the current representation, with its ETag",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = TaskView.class)))
  @ApiResponse(
      responseCode = "304",
      description = "not modified: If-None-Match named the current ETag; no body")
  @Get("/{taskId}")
  @Operation(operationId = "getTask")
  public TaskView get(HttpRequest<?> request, @PathVariable String taskId) {
    return views.view(tasks.get(taskId, callers.of(request)));
  }

  @ApiResponse(
      responseCode = "200",
      description = "the current representation, with its ETag",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = TaskView.Page.class)))
  @ApiResponse(
      responseCode = "304",
      description = "not modified: If-None-Match named the current ETag; no body")
  @Get
  @Operation(operationId = "listTasks")
  public TaskView.Page list(
      HttpRequest<?> request,
      @Nullable @QueryValue String status,
      @Nullable @QueryValue String pipeline,
      @Nullable @QueryValue String limit,
      @Nullable @QueryValue String cursor) {
    TaskStatus filter =
        status == null || status.isEmpty()
            ? null
            : TaskStatus.parse(status)
                .orElseThrow(
                    () ->
                        new BadRequestException(
                            "'status' must be one of "
                                + String.join(
                                    ", ",
                                    java.util.Arrays.stream(TaskStatus.values())
                                        .map(TaskStatus::wire)
                                        .toList())));
    TaskRepository.TaskPage page =
        tasks.list(
            filter,
            pipelineFilter(pipeline),
            limit(limit),
            cursor == null || cursor.isEmpty() ? null : cursor,
            callers.of(request));
    return new TaskView.Page(page.items().stream().map(views::listed).toList(), page.nextCursor());
  }

  @ApiResponse(
      responseCode = "200",
      description = "the count of tasks per status, with its ETag",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema =
                  @Schema(
                      type = "object",
                      additionalProperties = Schema.AdditionalPropertiesValue.TRUE)))
  @ApiResponse(
      responseCode = "304",
      description = "not modified: If-None-Match named the current ETag; no body")
  @Get("/stats")
  @Operation(operationId = "getTaskStats")
  public Map<String, Long> stats(HttpRequest<?> request, @Nullable @QueryValue String pipeline) {
    Map<String, Long> stats = new LinkedHashMap<>();
    tasks
        .stats(pipelineFilter(pipeline), callers.of(request))
        .forEach((status, count) -> stats.put(status.wire(), count));
    return stats;
  }

  /** {@code ?pipeline=}: one of the installed pipelines, or absent/empty for all. */
  private @Nullable String pipelineFilter(@Nullable String pipeline) {
    if (pipeline == null || pipeline.isEmpty()) {
      return null;
    }
    if (pipelines.find(pipeline).isEmpty()) {
      throw new BadRequestException(
          "'pipeline' must be one of " + String.join(", ", pipelines.names()));
    }
    return pipeline;
  }

  /**
   * Each step's stored output. With {@code ?run=r1}, what that run wrote (outputs a later run
   * replaced are kept): steps the run did not write read {@code absent}.
   */
  @ApiResponse(
      responseCode = "200",
      description = "each step's checkpoint, with its ETag",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = CheckpointView.class)))
  @ApiResponse(
      responseCode = "304",
      description = "not modified: If-None-Match named the current ETag; no body")
  @Get("/{taskId}/checkpoint")
  @Operation(operationId = "getTaskCheckpoints")
  public CheckpointView checkpoint(
      HttpRequest<?> request, @PathVariable String taskId, @Nullable @QueryValue String run) {
    TaskRecord record = tasks.get(taskId, callers.of(request));
    Map<String, CheckpointView.Entry> steps = new LinkedHashMap<>();
    if (run != null) {
      if (record.task().run(run).isEmpty()) {
        String shown = run.replaceAll("[^\\x20-\\x7E]", "?");
        throw new HttpStatusException(
            HttpStatus.NOT_FOUND,
            "task "
                + taskId
                + " has no run '"
                + shown.substring(0, Math.min(shown.length(), 40))
                + "'; its runs are "
                + String.join(", ", record.task().runs().stream().map(r -> r.runId()).toList()));
      }
      Map<String, Checkpoint> written = tasks.runCheckpoints(taskId, run);
      for (Step step : shown(record)) {
        Checkpoint cp = written.get(step.name());
        steps.put(
            step.name(),
            cp == null
                ? new CheckpointView.Entry("absent", run, null, null, null)
                : new CheckpointView.Entry(
                    "succeeded",
                    cp.runId(),
                    tree(cp.outputJson()),
                    Times.format(cp.finishedAt()),
                    Times.format(cp.expiresAt())));
      }
      return new CheckpointView(taskId, steps);
    }
    for (Step step : shown(record)) {
      Checkpoint cp = record.checkpoints().get(step.name());
      String status = record.task().stepStatus(step.name()).wire();
      StepState state = record.task().steps().get(step.name());
      steps.put(
          step.name(),
          cp == null
              ? new CheckpointView.Entry(
                  status, state == null ? null : state.runId(), null, null, null)
              : new CheckpointView.Entry(
                  status,
                  cp.runId(),
                  tree(cp.outputJson()),
                  Times.format(cp.finishedAt()),
                  Times.format(cp.expiresAt()),
                  CheckpointView.edits(cp)));
    }
    return new CheckpointView(taskId, steps);
  }

  /** The steps the task shows ({@link io.stepwise.model.Task#shows}). */
  private java.util.List<Step> shown(TaskRecord record) {
    return pipelines.get(record.task().pipeline()).steps().stream()
        .filter(record.task()::shows)
        .toList();
  }

  /**
   * Bulk recovery: every task the filter matches, retried from its failed step (or only listed, a
   * dry run).
   */
  @RequestBody(
      required = false,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ApiDocument.RecoveryRequest.class)))
  @Post(value = "/retry", consumes = MediaType.ALL)
  @Operation(operationId = "retryMatchingTasks")
  public BatchView.Recovery retryMatching(HttpRequest<?> request, @Nullable @Body String body) {
    PayloadTooLargeException.check(body, MAX_BODY_BYTES);
    RecoveryRequests.Request parsed = recoveryRequests.parse(body);
    BulkRecovery.Report report =
        recovery.retry(parsed.filter(), parsed.dryRun(), callers.of(request));
    return new BatchView.Recovery(
        report.matched(),
        report.retried(),
        report.skipped().stream().map(s -> new BatchView.Skipped(s.taskId(), s.reason())).toList());
  }

  @Status(HttpStatus.ACCEPTED)
  @ApiResponse(
      responseCode = "202",
      description = "accepted",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = TaskView.class)))
  @RequestBody(
      required = false,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ApiDocument.RetryRequest.class)))
  @Post(value = "/{taskId}/retry", consumes = MediaType.ALL)
  @Operation(operationId = "retryTask")
  public HttpResponse<TaskView> retry(HttpRequest<?> request, @PathVariable String taskId) {
    return HttpResponse.accepted()
        .body(
            views.view(
                batches.afterTaskRetry(
                    tasks.retry(taskId, null, overrides(request), callers.of(request)))));
  }

  /**
   * From a named step: a retry, or a rerun of a succeeded task, optionally {@code
   * {"overrides":{...}}}.
   */
  @Status(HttpStatus.ACCEPTED)
  @ApiResponse(
      responseCode = "202",
      description = "accepted",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = TaskView.class)))
  @RequestBody(
      required = false,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ApiDocument.RetryRequest.class)))
  @Post(value = "/{taskId}/retry/{step}", consumes = MediaType.ALL)
  @Operation(operationId = "retryTaskFromStep")
  public HttpResponse<TaskView> retryFrom(
      HttpRequest<?> request, @PathVariable String taskId, @PathVariable String step) {
    return HttpResponse.accepted()
        .body(
            views.view(
                batches.afterTaskRetry(
                    tasks.retry(taskId, step, overrides(request), callers.of(request)))));
  }

  /**
   * The optional body of a retry: nothing, {@code {}}, or {@code {"overrides":{<input field>:
   * value}}}, as {@link StrictInputFilter} checked it (see {@link StrictInputFilter#CHECKED_BODY}
   * for why not {@code @Body}).
   */
  private JsonNode overrides(HttpRequest<?> request) {
    String body =
        request
            .getAttribute(StrictInputFilter.CHECKED_BODY, byte[].class)
            .map(b -> new String(b, StandardCharsets.UTF_8))
            .orElse(null);
    PayloadTooLargeException.check(body, MAX_BODY_BYTES);
    if (body == null || body.isBlank()) {
      return null;
    }
    JsonNode root = parser.read(body);
    if (!root.isObject()) {
      throw new BadRequestException(
          "a retry's body must be a JSON object like {\"overrides\":{\"language\":\"en\"}}");
    }
    for (Map.Entry<String, JsonNode> field : root.entries()) {
      if (!field.getKey().equals("overrides")) {
        throw new BadRequestException(
            "unknown field '" + field.getKey() + "'; a retry's body takes only 'overrides'");
      }
    }
    JsonNode overrides = root.get("overrides");
    if (overrides != null && !overrides.isObject()) {
      throw new BadRequestException(
          "'overrides' must be an object of input fields, e.g. {\"language\":\"en\"}");
    }
    return overrides;
  }

  @Status(HttpStatus.ACCEPTED)
  @ApiResponse(
      responseCode = "202",
      description = "accepted",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = TaskView.class)))
  @Post(value = "/{taskId}/cancel", consumes = MediaType.ALL)
  @Operation(operationId = "cancelTask")
  public HttpResponse<TaskView> cancel(HttpRequest<?> request, @PathVariable String taskId) {
    return HttpResponse.accepted().body(views.view(tasks.cancel(taskId, callers.of(request))));
  }

  static int limit(String limit) {
    if (limit == null || limit.isEmpty()) {
      return 20;
    }
    try {
      int n = Integer.parseInt(limit);
      if (n >= 1 && n <= 100) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the error
    }
    throw new BadRequestException("'limit' must be an integer from 1 to 100");
  }

  private JsonNode tree(String text) {
    try {
      return json.readValue(text, JsonNode.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
