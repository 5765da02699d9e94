package io.stepwise.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.stepwise.batches.BatchService;
import io.stepwise.model.Times;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/batches}: thin mapping between HTTP and {@link BatchService}. */
@Controller("/api/batches")
public class BatchController {

  /** Room for the largest allowed batch of full task bodies; API Gateway itself stops at 10 MB. */
  static final int MAX_BODY_BYTES = 2 * 1024 * 1024;
  private static final int MAX_KEY_LENGTH = 200;

  private final BatchService batches;
  private final BatchRequestParser parser;
  private final TaskViews views;
  private final Callers callers;

  public BatchController(BatchService batches, BatchRequestParser parser, TaskViews views, Callers callers) {
    this.callers = callers;
    this.batches = batches;
    this.parser = parser;
    this.views = views;
  }

  @Post(consumes = {MediaType.APPLICATION_JSON, MediaType.ALL})
  public HttpResponse<BatchView.Created> create(
      HttpRequest<?> request,
      @Nullable @Body String body,
      @Nullable @Header("Idempotency-Key") String idempotencyKey) {
    PayloadTooLargeException.check(body, MAX_BODY_BYTES);
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_KEY_LENGTH)) {
      throw new BadRequestException("Idempotency-Key must be 1 to " + MAX_KEY_LENGTH + " characters");
    }
    var inputs = parser.parse(body, batches.maxTasks());
    var created = batches.create(inputs, idempotencyKey, callers.of(request).ownerId());
    return HttpResponse.accepted().body(new BatchView.Created(created.batchId(), created.taskIds(), skipped(created.notStarted())));
  }

  @Get("/{batchId}")
  public BatchView.Summary get(HttpRequest<?> request, @PathVariable String batchId) {
    BatchService.Summary s = batches.get(batchId, callers.of(request));
    Map<String, Long> stats = new LinkedHashMap<>();
    s.stats().forEach((status, n) -> stats.put(status.wire(), n));
    return new BatchView.Summary(s.batch().batchId(), s.batch().total(), stats, s.taskIds(), Times.format(s.batch().createdAt()));
  }

  @Get("/{batchId}/failed")
  public BatchView.Failed failed(HttpRequest<?> request, @PathVariable String batchId) {
    return new BatchView.Failed(batches.failed(batchId, callers.of(request)).stream().map(views::view).toList());
  }

  @Post(value = "/{batchId}/retry-failed", consumes = MediaType.ALL)
  public HttpResponse<BatchView.RetryReport> retryFailed(HttpRequest<?> request, @PathVariable String batchId) {
    BatchService.RetryReport report = batches.retryFailed(batchId, callers.of(request));
    return HttpResponse.accepted()
        .body(new BatchView.RetryReport(report.retried(), report.started(), skipped(report.skipped())));
  }

  private static List<BatchView.Skipped> skipped(List<BatchService.Skipped> skipped) {
    return skipped.stream().map(s -> new BatchView.Skipped(s.taskId(), s.reason())).toList();
  }
}
