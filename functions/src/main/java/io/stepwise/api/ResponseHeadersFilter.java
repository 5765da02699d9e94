package io.stepwise.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * {@code X-Content-Type-Options: nosniff} on every response, so a browser never runs a JSON or
 * problem body as something else; {@code Cache-Control: no-store} on the API, whose answers are per
 * caller and change by the second (the dashboard's static files keep their own caching). An API
 * response that chose its own caching (a task's image: immutable, private) keeps it.
 */
@ServerFilter("/**")
public class ResponseHeadersFilter {

  @ResponseFilter
  public void headers(HttpRequest<?> request, MutableHttpResponse<?> response) {
    response.getHeaders().set("X-Content-Type-Options", "nosniff");
    if (request.getPath().startsWith("/api/") && !response.getHeaders().contains("Cache-Control")) {
      response.getHeaders().set("Cache-Control", "no-store");
    }
  }
}
