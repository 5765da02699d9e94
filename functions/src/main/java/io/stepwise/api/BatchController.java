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
import io.micronaut.http.annotation.Status;
import io.stepwise.batches.BatchService;
import io.stepwise.model.Times;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/batches}: thin mapping between HTTP and {@link BatchService}. */
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
@Controller("/api/batches")
public class BatchController {

  /** Room for the largest allowed batch of full task bodies; API Gateway itself stops at 10 MB. */
  static final int MAX_BODY_BYTES = 2 * 1024 * 1024;

  private static final int MAX_KEY_LENGTH = 200;

  private final BatchService batches;
  private final BatchRequestParser parser;
  private final TaskViews views;
  private final Callers callers;

  public BatchController(
      BatchService batches, BatchRequestParser parser, TaskViews views, Callers callers) {
    this.callers = callers;
    this.batches = batches;
    this.parser = parser;
    this.views = views;
  }

  @Status(HttpStatus.ACCEPTED)
  @ApiResponse(
      responseCode = "202",
      description = "accepted",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = BatchView.Created.class)))
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ApiDocument.BatchRequest.class)))
  @Post(consumes = {MediaType.APPLICATION_JSON, MediaType.ALL})
  @Operation(operationId = "createBatch")
  public HttpResponse<BatchView.Created> create(
      HttpRequest<?> request,
      @Nullable @Body String body,
      @Nullable @Header("Idempotency-Key") String idempotencyKey) {
    PayloadTooLargeException.check(body, MAX_BODY_BYTES);
    if (idempotencyKey != null
        && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_KEY_LENGTH)) {
      throw new BadRequestException(
          "Idempotency-Key must be 1 to " + MAX_KEY_LENGTH + " characters");
    }
    var parsed = parser.parse(body, batches.maxTasks(), batches.maxRunningCap());
    var created =
        batches.create(
            parsed.tasks(), parsed.maxRunning(), idempotencyKey, callers.of(request).ownerId());
    return HttpResponse.accepted()
        .body(
            new BatchView.Created(
                created.batchId(), created.taskIds(), skipped(created.notStarted())));
  }

  @ApiResponse(
      responseCode = "200",
      description = "the current representation, with its ETag",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = BatchView.Summary.class)))
  @ApiResponse(
      responseCode = "304",
      description = "not modified: If-None-Match named the current ETag; no body")
  @Get("/{batchId}")
  @Operation(operationId = "getBatch")
  public BatchView.Summary get(HttpRequest<?> request, @PathVariable String batchId) {
    return view(batches.get(batchId, callers.of(request)));
  }

  @ApiResponse(
      responseCode = "200",
      description = "paused: no new task of the batch starts; its running tasks finish",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = BatchView.Summary.class)))
  @Post(value = "/{batchId}/pause", consumes = MediaType.ALL)
  @Operation(operationId = "pauseBatch")
  public BatchView.Summary pause(HttpRequest<?> request, @PathVariable String batchId) {
    return view(batches.pause(batchId, callers.of(request)));
  }

  @ApiResponse(
      responseCode = "200",
      description = "resumed: its pending tasks start as its limit allows",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = BatchView.Summary.class)))
  @Post(value = "/{batchId}/resume", consumes = MediaType.ALL)
  @Operation(operationId = "resumeBatch")
  public BatchView.Summary resume(HttpRequest<?> request, @PathVariable String batchId) {
    return view(batches.resume(batchId, callers.of(request)));
  }

  @Status(HttpStatus.ACCEPTED)
  @ApiResponse(
      responseCode = "202",
      description = "cancelled: its pending and running tasks, each through the task's cancel",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = BatchView.Cancelled.class)))
  @Post(value = "/{batchId}/cancel", consumes = MediaType.ALL)
  @Operation(operationId = "cancelBatch")
  public HttpResponse<BatchView.Cancelled> cancel(
      HttpRequest<?> request, @PathVariable String batchId) {
    BatchService.Cancelled c = batches.cancel(batchId, callers.of(request));
    return HttpResponse.accepted().body(new BatchView.Cancelled(c.cancelled(), view(c.batch())));
  }

  private static BatchView.Summary view(BatchService.Summary s) {
    Map<String, Long> stats = new LinkedHashMap<>();
    s.stats().forEach((status, n) -> stats.put(status.wire(), n));
    long total = s.taskIds().size();
    long done =
        s.stats().entrySet().stream()
            .filter(e -> !e.getKey().active())
            .mapToLong(Map.Entry::getValue)
            .sum();
    return new BatchView.Summary(
        s.batch().batchId(),
        s.status(),
        s.maxRunning(),
        s.batch().total(),
        stats,
        new BatchView.Progress(done, total, total == 0 ? 0 : (int) (done * 100 / total)),
        s.taskIds(),
        s.failed().stream()
            .map(
                t ->
                    new BatchView.FailedTask(
                        t.taskId(),
                        t.failedStep() != null
                            ? t.failedStep()
                            : t.error() == null ? null : t.error().step(),
                        t.error() == null ? null : t.error().type(),
                        t.error() == null ? null : t.error().message(),
                        t.retryCount(),
                        Times.format(t.updatedAt())))
            .toList(),
        s.batch().retries().stream()
            .map(r -> new BatchView.Retry(Times.format(r.at()), r.kind(), r.count(), r.taskId()))
            .toList(),
        Times.format(s.batch().createdAt()));
  }

  @Get("/{batchId}/failed")
  @Operation(operationId = "listFailedBatchTasks")
  public BatchView.Failed failed(HttpRequest<?> request, @PathVariable String batchId) {
    return new BatchView.Failed(
        batches.failed(batchId, callers.of(request)).stream().map(views::view).toList());
  }

  @Status(HttpStatus.ACCEPTED)
  @ApiResponse(
      responseCode = "202",
      description = "accepted",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = BatchView.RetryReport.class)))
  @Post(value = "/{batchId}/retry-failed", consumes = MediaType.ALL)
  @Operation(operationId = "retryFailedBatchTasks")
  public HttpResponse<BatchView.RetryReport> retryFailed(
      HttpRequest<?> request, @PathVariable String batchId) {
    BatchService.RetryReport report = batches.retryFailed(batchId, callers.of(request));
    return HttpResponse.accepted()
        .body(
            new BatchView.RetryReport(
                report.retried(), report.started(), skipped(report.skipped())));
  }

  private static List<BatchView.Skipped> skipped(List<BatchService.Skipped> skipped) {
    return skipped.stream().map(s -> new BatchView.Skipped(s.taskId(), s.reason())).toList();
  }
}
