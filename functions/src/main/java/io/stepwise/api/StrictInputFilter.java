package io.stepwise.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Optional;

/**
 * Holds every request body of the API to {@link ContentTypes} (415) and {@link StrictJson} (400)
 * before any controller binds it, so no route can be more lenient than another. Bodies of routes
 * that take none (retry, cancel) are held to the same rule: a malformed body is a client mistake
 * wherever it is sent.
 */
@ServerFilter("/api/**")
public class StrictInputFilter {

  /**
   * The body this filter checked, left on the request for a route whose body is optional: Micronaut
   * hands an unbound body to neither runtime the same way (the Lambda runtime refuses an absent
   * {@code @Body}; Netty gives {@code getBody} nothing once a filter has read it), so such a route
   * reads it here.
   */
  static final String CHECKED_BODY = "stepwise.checkedBody";

  @RequestFilter
  @Nullable public HttpResponse<Problem> check(HttpRequest<?> request, @Nullable @Body byte[] body) {
    HttpMethod method = request.getMethod();
    if (method != HttpMethod.POST && method != HttpMethod.PUT && method != HttpMethod.PATCH) {
      return null;
    }
    Optional<String> refused =
        ContentTypes.refusal(request.getHeaders().get(HttpHeaders.CONTENT_TYPE));
    if (refused.isPresent()) {
      return ProblemResponses.respond(Problem.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, refused.get()));
    }
    if (body == null || body.length == 0) {
      return null;
    }
    request.setAttribute(CHECKED_BODY, body);
    try {
      StrictJson.check(body);
    } catch (BadRequestException e) {
      return ProblemResponses.respond(Problem.of(HttpStatus.BAD_REQUEST, e.getMessage()));
    }
    return null;
  }
}
