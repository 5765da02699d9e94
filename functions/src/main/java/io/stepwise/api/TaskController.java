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
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.steps.Checkpoint;
import io.stepwise.steps.StepName;
import io.stepwise.store.Times;
import io.stepwise.tasks.StepState;
import io.stepwise.tasks.TaskRecord;
import io.stepwise.tasks.TaskRepository;
import io.stepwise.tasks.TaskService;
import io.stepwise.tasks.TaskStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /api/tasks}: thin mapping between HTTP and {@link TaskService}. */
@Controller("/api/tasks")
public class TaskController {

  /** API Gateway allows 10 MB; task bodies are tiny, so anything past this is a mistake or abuse. */
  static final int MAX_BODY_BYTES = 256 * 1024;
  private static final int MAX_KEY_LENGTH = 200;

  private final TaskService tasks;
  private final TaskRequestParser parser;
  private final TaskViews views;
  private final JsonMapper json;

  public TaskController(TaskService tasks, TaskRequestParser parser, TaskViews views, JsonMapper json) {
    this.tasks = tasks;
    this.parser = parser;
    this.views = views;
    this.json = json;
  }

  @Post(consumes = {MediaType.APPLICATION_JSON, MediaType.ALL})
  public HttpResponse<TaskView> create(
      HttpRequest<?> request,
      @Nullable @Body String body,
      @Nullable @Header("Idempotency-Key") String idempotencyKey) {
    limitSize(body);
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_KEY_LENGTH)) {
      throw new BadRequestException("Idempotency-Key must be 1 to " + MAX_KEY_LENGTH + " characters");
    }
    var input = parser.parse(body);
    var task = tasks.create(input, idempotencyKey, Caller.owner(request).orElse(null), null);
    return HttpResponse.accepted().body(views.view(task));
  }

  @Get("/{taskId}")
  public TaskView get(@PathVariable String taskId) {
    return views.view(tasks.get(taskId).task());
  }

  @Get
  public TaskView.Page list(
      @Nullable @QueryValue String status, @Nullable @QueryValue String limit, @Nullable @QueryValue String cursor) {
    TaskStatus filter = status == null || status.isEmpty() ? null : TaskStatus.parse(status)
        .orElseThrow(() -> new BadRequestException("'status' must be one of pending, running, succeeded, failed, cancelled"));
    TaskRepository.TaskPage page = tasks.list(filter, limit(limit), cursor == null || cursor.isEmpty() ? null : cursor);
    return new TaskView.Page(page.items().stream().map(views::view).toList(), page.nextCursor());
  }

  @Get("/stats")
  public Map<String, Long> stats() {
    Map<String, Long> stats = new LinkedHashMap<>();
    tasks.stats().forEach((status, count) -> stats.put(status.wire(), count));
    return stats;
  }

  @Get("/{taskId}/checkpoint")
  public CheckpointView checkpoint(@PathVariable String taskId) {
    TaskRecord record = tasks.get(taskId);
    Map<String, CheckpointView.Entry> steps = new LinkedHashMap<>();
    for (StepName step : StepName.values()) {
      Checkpoint cp = record.checkpoints().get(step);
      String status = record.task().stepStatus(step).wire();
      StepState state = record.task().steps().get(step);
      steps.put(
          step.wire(),
          cp == null
              ? new CheckpointView.Entry(status, state == null ? null : state.runId(), null, null, null)
              : new CheckpointView.Entry(status, cp.runId(), tree(cp.outputJson()), Times.format(cp.finishedAt()), Times.format(cp.expiresAt())));
    }
    return new CheckpointView(taskId, steps);
  }

  @Post(value = "/{taskId}/retry", consumes = MediaType.ALL)
  public HttpResponse<TaskView> retry(@PathVariable String taskId) {
    return HttpResponse.accepted().body(views.view(tasks.retry(taskId, null)));
  }

  @Post(value = "/{taskId}/retry/{step}", consumes = MediaType.ALL)
  public HttpResponse<TaskView> retryFrom(@PathVariable String taskId, @PathVariable String step) {
    StepName from = StepName.fromWire(step)
        .orElseThrow(() -> new BadRequestException("unknown step '" + step + "'; steps are " + String.join(", ", StepName.wireNames())));
    return HttpResponse.accepted().body(views.view(tasks.retry(taskId, from)));
  }

  @Post(value = "/{taskId}/cancel", consumes = MediaType.ALL)
  public HttpResponse<TaskView> cancel(@PathVariable String taskId) {
    return HttpResponse.accepted().body(views.view(tasks.cancel(taskId)));
  }

  static void limitSize(String body) {
    if (body != null && body.length() > MAX_BODY_BYTES / 4 && body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
      throw new PayloadTooLargeException(MAX_BODY_BYTES);
    }
  }

  private static int limit(String limit) {
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
