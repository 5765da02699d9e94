package io.stepwise.api;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error Micronaut itself answers (unknown route, wrong method, unreadable body, ...) becomes
 * a problem response too, so clients handle one error shape.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProblemResponses implements ErrorResponseProcessor<Problem> {

  private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);

  @Override
  public MutableHttpResponse<Problem> processResponse(
      ErrorContext context, MutableHttpResponse<?> response) {
    HttpStatus status = response.getStatus();
    if (status.getCode() >= 500) {
      // Internal details (AWS request ids, stack messages) stay in the log, not in the response.
      String incident = UUID.randomUUID().toString();
      LOG.error(
          "request {} {} failed, incident {}",
          context.getRequest().getMethod(),
          context.getRequest().getPath(),
          incident,
          context.getRootCause().orElse(null));
      return respond(
          Problem.of(
              status,
              "an internal error occurred (incident " + incident + "); it has been logged"));
    }
    String detail =
        context.hasErrors()
            ? context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "))
            : status.getReason();
    return respond(Problem.of(status, ownWords(status, detail)));
  }

  /**
   * Micronaut's messages can name classes and parser limits; those become a plain sentence of ours.
   */
  static String ownWords(HttpStatus status, String detail) {
    if (detail == null || !INTERNALS.matcher(detail).find()) {
      return detail;
    }
    LOG.info("replaced a detail naming internals: {}", detail);
    return status == HttpStatus.BAD_REQUEST
        ? "the request could not be read: a field is missing, unknown or of the wrong type"
        : status.getReason();
  }

  private static final Pattern INTERNALS =
      Pattern.compile(
          "com\\.fasterxml|io\\.micronaut|java\\.|Exception|StreamReadConstraints|\\[Source:|\\bat \\[");

  static MutableHttpResponse<Problem> respond(Problem problem) {
    return HttpResponse.<Problem>status(HttpStatus.valueOf(problem.status()))
        .contentType(Problem.MEDIA_TYPE)
        .body(problem);
  }
}
