package io.stepwise.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.model.Checkpoint;
import io.stepwise.model.Pipelines;
import io.stepwise.model.Times;
import io.stepwise.tasks.ReviewService;
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
import java.util.Map;

/**
 * A person in the loop: the review queue ({@code GET /api/reviews}), a decision on a task's review
 * ({@code POST /api/tasks/{id}/review}) and an edit of a step's output ({@code PUT
 * /api/tasks/{id}/steps/{step}/output}); thin mapping to {@link ReviewService}.
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
@Controller("/api")
public class ReviewController {

  /** A comment is for people: a paragraph, not a document. */
  static final int MAX_COMMENT_CHARS = 2_000;

  /** An edited output is one step's: the largest a task body may be, and then some. */
  static final int MAX_OUTPUT_BYTES = 1024 * 1024;

  private final ReviewService reviews;
  private final TaskService tasks;
  private final TaskViews views;
  private final TaskRequests parser;
  private final Callers callers;
  private final Pipelines pipelines;
  private final JsonMapper json;

  public ReviewController(
      ReviewService reviews,
      TaskService tasks,
      TaskViews views,
      TaskRequests parser,
      Callers callers,
      Pipelines pipelines,
      JsonMapper json) {
    this.reviews = reviews;
    this.tasks = tasks;
    this.views = views;
    this.parser = parser;
    this.callers = callers;
    this.pipelines = pipelines;
    this.json = json;
  }

  /** The tasks awaiting review that the caller may decide, oldest wait first. */
  @ApiResponse(
      responseCode = "200",
      description = "tasks awaiting review, oldest first",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = TaskView.Page.class)))
  @Get("/reviews")
  @Operation(operationId = "listReviews")
  public TaskView.Page list(
      HttpRequest<?> request,
      @Nullable @QueryValue String pipeline,
      @Nullable @QueryValue String limit,
      @Nullable @QueryValue String cursor) {
    if (pipeline != null && !pipeline.isEmpty() && pipelines.find(pipeline).isEmpty()) {
      throw new BadRequestException(
          "'pipeline' must be one of " + String.join(", ", pipelines.names()));
    }
    TaskRepository.TaskPage page =
        reviews.awaiting(
            pipeline == null || pipeline.isEmpty() ? null : pipeline,
            TaskController.limit(limit),
            cursor == null || cursor.isEmpty() ? null : cursor,
            callers.of(request));
    return new TaskView.Page(page.items().stream().map(views::listed).toList(), page.nextCursor());
  }

  /**
   * Approve or reject the task's open review: {@code
   * {"decision":"approve"|"reject","comment":"..."}}.
   */
  @Status(HttpStatus.ACCEPTED)
  @ApiResponse(
      responseCode = "202",
      description = "decided: approve lets the task go on, reject ends it as rejected",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = TaskView.class)))
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ApiDocument.ReviewDecision.class)))
  @Post(value = "/tasks/{taskId}/review", consumes = MediaType.ALL)
  @Operation(operationId = "decideReview")
  public HttpResponse<TaskView> decide(HttpRequest<?> request, @PathVariable String taskId) {
    JsonNode body = body(request, TaskController.MAX_BODY_BYTES, "a review decision");
    String decision = null;
    String comment = null;
    for (Map.Entry<String, JsonNode> field : body.entries()) {
      JsonNode value = field.getValue();
      switch (field.getKey()) {
        case "decision" -> {
          if (!value.isString()) {
            throw new BadRequestException("'decision' must be \"approve\" or \"reject\"");
          }
          decision = value.getStringValue();
        }
        case "comment" -> {
          if (!value.isNull() && !value.isString()) {
            throw new BadRequestException("'comment' must be a string");
          }
          comment = value.isNull() ? null : value.getStringValue();
          if (comment != null && comment.length() > MAX_COMMENT_CHARS) {
            throw new BadRequestException(
                "'comment' must be at most " + MAX_COMMENT_CHARS + " characters");
          }
        }
        default ->
            throw new BadRequestException(
                "unknown field '"
                    + field.getKey()
                    + "'; a review decision takes 'decision' and 'comment'");
      }
    }
    if (decision == null) {
      throw new BadRequestException(
          "'decision' is required: {\"decision\":\"approve\"} or {\"decision\":\"reject\"}");
    }
    reviews.decide(taskId, decision, comment, callers.of(request));
    return HttpResponse.accepted().body(views.view(tasks.get(taskId, callers.of(request))));
  }

  /**
   * Replace a step's whole output: while the task awaits review of that step (the next step reads
   * the edit), or once it has finished ({@code POST /retry/{next step}} continues from it).
   */
  @ApiResponse(
      responseCode = "200",
      description = "the stored output, with who edited it and when",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = CheckpointView.Entry.class)))
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(type = "object", description = "the step's whole new output")))
  @Put(value = "/tasks/{taskId}/steps/{step}/output", consumes = MediaType.ALL)
  @Operation(operationId = "editStepOutput")
  public CheckpointView.Entry edit(
      HttpRequest<?> request, @PathVariable String taskId, @PathVariable String step) {
    JsonNode output = body(request, MAX_OUTPUT_BYTES, "a step's new output");
    Checkpoint stored = reviews.edit(taskId, step, output, callers.of(request));
    return new CheckpointView.Entry(
        "succeeded",
        stored.runId(),
        tree(stored.outputJson()),
        Times.format(stored.finishedAt()),
        Times.format(stored.expiresAt()),
        CheckpointView.edits(stored));
  }

  /** The body {@link StrictInputFilter} checked: a JSON object, required. */
  private JsonNode body(HttpRequest<?> request, int maxBytes, String what) {
    String body =
        request
            .getAttribute(StrictInputFilter.CHECKED_BODY, byte[].class)
            .map(b -> new String(b, StandardCharsets.UTF_8))
            .orElse(null);
    PayloadTooLargeException.check(body, maxBytes);
    if (body == null || body.isBlank()) {
      throw new BadRequestException(what + " needs a JSON object body");
    }
    JsonNode root = parser.read(body);
    if (!root.isObject()) {
      throw new BadRequestException(what + " must be a JSON object");
    }
    return root;
  }

  private JsonNode tree(String text) {
    try {
      return json.readValue(text, JsonNode.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
