package io.stepwise.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.stepwise.health.UnknownModelException;
import jakarta.inject.Singleton;

/** An unknown model name is a 404 problem. */
@Singleton
class ModelHealthExceptionHandler implements ExceptionHandler<UnknownModelException, HttpResponse<Problem>> {

  @Override
  public HttpResponse<Problem> handle(HttpRequest request, UnknownModelException e) {
    return ProblemResponses.respond(Problem.of(HttpStatus.NOT_FOUND, e.getMessage()));
  }
}
