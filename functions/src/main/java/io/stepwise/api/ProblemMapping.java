package io.stepwise.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.stepwise.batches.BatchKeyReusedException;
import io.stepwise.batches.BatchNotFoundException;
import io.stepwise.batches.BatchTooManyMatchesException;
import io.stepwise.health.UnknownModelException;
import io.stepwise.tasks.DecisionNotSentException;
import io.stepwise.tasks.IdempotencyKeyReusedException;
import io.stepwise.tasks.ImageNotFoundException;
import io.stepwise.tasks.InvalidCursorException;
import io.stepwise.tasks.InvalidInputException;
import io.stepwise.tasks.OutputRejectedException;
import io.stepwise.tasks.TaskConflictException;
import io.stepwise.tasks.TaskNotFoundException;
import io.stepwise.workflow.WorkflowUnavailableException;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our exceptions to HTTP in one table: the type decides the status, the message is the problem's
 * detail. A type not in the table is a bug: a 500 whose detail names only an incident id (the cause
 * goes to the log). Micronaut's own exceptions (unknown route, unreadable body) keep their more
 * specific handlers and reach {@link ProblemResponses}.
 */
@Singleton
public class ProblemMapping implements ExceptionHandler<RuntimeException, HttpResponse<Problem>> {

  private static final Logger LOG = LoggerFactory.getLogger(ProblemMapping.class);

  /**
   * Looked up along the thrown type's superclasses, so a subclass maps like its parent unless
   * listed.
   */
  static final Map<Class<? extends RuntimeException>, HttpStatus> STATUS =
      Map.ofEntries(
          Map.entry(BadRequestException.class, HttpStatus.BAD_REQUEST),
          Map.entry(InvalidInputException.class, HttpStatus.BAD_REQUEST),
          Map.entry(InvalidCursorException.class, HttpStatus.BAD_REQUEST),
          Map.entry(TaskNotFoundException.class, HttpStatus.NOT_FOUND),
          Map.entry(BatchNotFoundException.class, HttpStatus.NOT_FOUND),
          Map.entry(ImageNotFoundException.class, HttpStatus.NOT_FOUND),
          Map.entry(UnknownModelException.class, HttpStatus.NOT_FOUND),
          Map.entry(TaskConflictException.class, HttpStatus.CONFLICT),
          Map.entry(PayloadTooLargeException.class, HttpStatus.REQUEST_ENTITY_TOO_LARGE),
          Map.entry(BatchTooLargeException.class, HttpStatus.REQUEST_ENTITY_TOO_LARGE),
          Map.entry(BatchTooManyMatchesException.class, HttpStatus.UNPROCESSABLE_ENTITY),
          Map.entry(IdempotencyKeyReusedException.class, HttpStatus.UNPROCESSABLE_ENTITY),
          Map.entry(BatchKeyReusedException.class, HttpStatus.UNPROCESSABLE_ENTITY),
          Map.entry(OutputRejectedException.class, HttpStatus.UNPROCESSABLE_ENTITY),
          Map.entry(WorkflowUnavailableException.class, HttpStatus.SERVICE_UNAVAILABLE));

  @Override
  public HttpResponse<Problem> handle(HttpRequest request, RuntimeException e) {
    HttpStatus status = statusOf(e);
    if (status == null) {
      String incident = UUID.randomUUID().toString();
      LOG.error(
          "request {} {} failed, incident {}", request.getMethod(), request.getPath(), incident, e);
      return ProblemResponses.respond(
          Problem.of(
              HttpStatus.INTERNAL_SERVER_ERROR,
              "an internal error occurred (incident " + incident + "); it has been logged"));
    }
    return ProblemResponses.respond(problem(status, e));
  }

  /** The status of an exception type in the table, or null for one it does not list. */
  static HttpStatus statusOf(RuntimeException e) {
    for (Class<?> type = e.getClass();
        type != RuntimeException.class;
        type = type.getSuperclass()) {
      HttpStatus status = STATUS.get(type);
      if (status != null) {
        return status;
      }
    }
    return null;
  }

  private static Problem problem(HttpStatus status, RuntimeException e) {
    if (e instanceof DecisionNotSentException) {
      LOG.warn(
          "review decision not sent: {}", e.getCause() == null ? "" : e.getCause().getMessage());
      return Problem.of(status, e.getMessage());
    }
    if (e instanceof WorkflowUnavailableException) {
      LOG.warn("workflow unavailable: {}", e.getMessage());
      return Problem.of(
          status, "the workflow service is unavailable; the task was not started, retry later");
    }
    Problem problem = Problem.of(status, e.getMessage());
    if (e instanceof TaskConflictException conflict) {
      return conflict.earliestStep().map(problem::withEarliestStep).orElse(problem);
    }
    if (e instanceof OutputRejectedException rejected) {
      return problem.withViolations(rejected.violations());
    }
    return problem;
  }
}
