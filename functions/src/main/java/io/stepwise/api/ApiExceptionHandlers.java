package io.stepwise.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.stepwise.store.InvalidCursorException;
import io.stepwise.tasks.IdempotencyKeyReusedException;
import io.stepwise.tasks.TaskConflictException;
import io.stepwise.tasks.TaskNotFoundException;
import io.stepwise.workflow.WorkflowUnavailableException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Our exceptions to HTTP: the error types decide the status, the message is the problem's detail. */
final class ApiExceptionHandlers {

  private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandlers.class);

  private ApiExceptionHandlers() {}

  @Singleton
  static class BadRequest implements ExceptionHandler<BadRequestException, HttpResponse<Problem>> {
    @Override
    public HttpResponse<Problem> handle(HttpRequest request, BadRequestException e) {
      return ProblemResponses.respond(Problem.of(HttpStatus.BAD_REQUEST, e.getMessage()));
    }
  }

  @Singleton
  static class BadCursor implements ExceptionHandler<InvalidCursorException, HttpResponse<Problem>> {
    @Override
    public HttpResponse<Problem> handle(HttpRequest request, InvalidCursorException e) {
      return ProblemResponses.respond(Problem.of(HttpStatus.BAD_REQUEST, e.getMessage()));
    }
  }

  @Singleton
  static class TooLarge implements ExceptionHandler<PayloadTooLargeException, HttpResponse<Problem>> {
    @Override
    public HttpResponse<Problem> handle(HttpRequest request, PayloadTooLargeException e) {
      return ProblemResponses.respond(Problem.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE, e.getMessage()));
    }
  }

  @Singleton
  static class NotFound implements ExceptionHandler<TaskNotFoundException, HttpResponse<Problem>> {
    @Override
    public HttpResponse<Problem> handle(HttpRequest request, TaskNotFoundException e) {
      return ProblemResponses.respond(Problem.of(HttpStatus.NOT_FOUND, e.getMessage()));
    }
  }

  @Singleton
  static class Conflict implements ExceptionHandler<TaskConflictException, HttpResponse<Problem>> {
    @Override
    public HttpResponse<Problem> handle(HttpRequest request, TaskConflictException e) {
      Problem problem = Problem.of(HttpStatus.CONFLICT, e.getMessage());
      return ProblemResponses.respond(e.earliestStep().map(s -> problem.withEarliestStep(s.wire())).orElse(problem));
    }
  }

  @Singleton
  static class KeyReused implements ExceptionHandler<IdempotencyKeyReusedException, HttpResponse<Problem>> {
    @Override
    public HttpResponse<Problem> handle(HttpRequest request, IdempotencyKeyReusedException e) {
      return ProblemResponses.respond(Problem.of(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage()));
    }
  }

  @Singleton
  static class Unavailable implements ExceptionHandler<WorkflowUnavailableException, HttpResponse<Problem>> {
    @Override
    public HttpResponse<Problem> handle(HttpRequest request, WorkflowUnavailableException e) {
      LOG.warn("workflow unavailable: {}", e.getMessage());
      return ProblemResponses.respond(
          Problem.of(HttpStatus.SERVICE_UNAVAILABLE, "the workflow service is unavailable; the task was not started, retry later"));
    }
  }
}
