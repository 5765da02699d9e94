package io.stepwise.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.stepwise.batches.BatchKeyReusedException;
import io.stepwise.batches.BatchNotFoundException;
import jakarta.inject.Singleton;

/** Batch errors to HTTP, in the same problem shape as {@link ApiExceptionHandlers}. */
final class BatchExceptionHandlers {

  private BatchExceptionHandlers() {}

  @Singleton
  static class NotFound implements ExceptionHandler<BatchNotFoundException, HttpResponse<Problem>> {
    @Override
    public HttpResponse<Problem> handle(HttpRequest request, BatchNotFoundException e) {
      return ProblemResponses.respond(Problem.of(HttpStatus.NOT_FOUND, e.getMessage()));
    }
  }

  @Singleton
  static class TooLarge implements ExceptionHandler<BatchTooLargeException, HttpResponse<Problem>> {
    @Override
    public HttpResponse<Problem> handle(HttpRequest request, BatchTooLargeException e) {
      return ProblemResponses.respond(Problem.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE, e.getMessage()));
    }
  }

  @Singleton
  static class KeyReused implements ExceptionHandler<BatchKeyReusedException, HttpResponse<Problem>> {
    @Override
    public HttpResponse<Problem> handle(HttpRequest request, BatchKeyReusedException e) {
      return ProblemResponses.respond(Problem.of(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage()));
    }
  }
}
