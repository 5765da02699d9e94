package io.stepwise.lifecycle;

import io.micronaut.context.ApplicationContext;
import io.stepwise.lambda.JsonFunction;
import io.stepwise.logging.LogContext;
import io.stepwise.model.Task;
import io.stepwise.tasks.ReviewService;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Invoked by a pipeline's Review state ({@code lambda:invoke.waitForTaskToken}): records the task
 * token on the task, which now awaits review, and notifies the reviewers. Returns at once; the
 * state waits for the decision ({@code POST /api/tasks/{id}/review}) or its timeout. Safe to
 * repeat.
 */
public class ReviewFunction extends JsonFunction<ReviewRequest, HandlerResult> {

  private final ReviewService reviews;
  private final ReviewNotifier notifier;

  public ReviewFunction() {
    super(ReviewRequest.class);
    this.reviews = bean(ReviewService.class);
    this.notifier = bean(ReviewNotifier.class);
  }

  public ReviewFunction(ApplicationContext context) {
    super(context, ReviewRequest.class);
    this.reviews = bean(ReviewService.class);
    this.notifier = bean(ReviewNotifier.class);
  }

  @Override
  public HandlerResult handle(ReviewRequest request) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("taskId", request.taskId());
    fields.put("runId", request.runId());
    fields.put("step", request.step());
    fields.put("executionArn", request.executionArn());
    try (LogContext context = LogContext.with(fields)) {
      Task task =
          reviews.open(
              request.taskId(),
              request.runId(),
              request.redriveCount() == null ? 0 : request.redriveCount(),
              request.token());
      notifier.opened(task);
      return new HandlerResult(true);
    }
  }
}
