package io.stepwise.api;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Cheap polling: a 200 of a polled read ({@link ETags#COVERED}) carries an {@code ETag}; a request
 * whose {@code If-None-Match} names it gets 304 with no body. The read still happens (the tag is
 * the body's hash), so this saves response bytes and the client's work, not DynamoDB reads. {@code
 * Cache-Control} stays {@code no-store} ({@link ResponseHeadersFilter}): these bodies are one
 * caller's data, so no browser or proxy cache keeps them; a client that polls keeps the last body
 * itself and revalidates it explicitly (the dashboard does). {@code Vary: Authorization} says the
 * answer depends on the caller, for any cache that ignores no-store.
 */
@ServerFilter("/api/**")
public class ETagFilter {

  private final JsonMapper json;
  private final Callers callers;

  ETagFilter(JsonMapper json, Callers callers) {
    this.json = json;
    this.callers = callers;
  }

  @ResponseFilter
  public void tag(HttpRequest<?> request, MutableHttpResponse<?> response) {
    if (request.getMethod() != HttpMethod.GET
        || response.code() != HttpStatus.OK.getCode()
        || response.body() == null
        || !ETags.covers(request.getPath())) {
      return;
    }
    String tag;
    try {
      tag = ETags.of(callers.of(request), json.writeValueAsBytes(response.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    response.getHeaders().set(HttpHeaders.ETAG, tag);
    response.getHeaders().set(HttpHeaders.VARY, HttpHeaders.AUTHORIZATION);
    if (ETags.matches(request.getHeaders().get(HttpHeaders.IF_NONE_MATCH), tag)) {
      response.status(HttpStatus.NOT_MODIFIED);
      response.body(null);
      response.getHeaders().remove(HttpHeaders.CONTENT_TYPE);
      response.getHeaders().remove(HttpHeaders.CONTENT_LENGTH);
    }
  }
}
