package io.stepwise.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.stepwise.tasks.TaskResults;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code /api/tasks/{taskId}/result} and {@code /images/{name}}: what a task made. Image URLs in a
 * result are relative to the API ({@code /api/tasks/{id}/images/{name}}), so they work behind any
 * host or stage.
 */
@ApiResponse(
    responseCode = "401",
    description = ApiDocument.UNAUTHORIZED,
    content =
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ApiDocument.Unauthorized.class)))
@ApiResponse(
    responseCode = "4XX",
    description = ApiDocument.CLIENT_PROBLEM,
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(
    responseCode = "5XX",
    description = ApiDocument.SERVER_PROBLEM,
    content =
        @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@Controller("/api/tasks/{taskId}")
public class TaskResultController {

  /**
   * An image belongs to one caller and a rerun may replace it: cached privately (never by a shared
   * cache) and briefly, well inside the 5 minutes a presigned link stays valid, so a cached
   * redirect still works.
   */
  static final String IMAGE_CACHING = "private, max-age=60";

  private final TaskResults results;
  private final Callers callers;

  public TaskResultController(TaskResults results, Callers callers) {
    this.results = results;
    this.callers = callers;
  }

  @ApiResponse(
      responseCode = "200",
      description =
          "the pipeline's final output (its shape is the pipeline's: digest posts, a report's sections and links)",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = "object")))
  @Get("/result")
  @Operation(operationId = "getTaskResult")
  public Object result(HttpRequest<?> request, @PathVariable String taskId) {
    String base = "/api/tasks/" + segment(taskId) + "/images/";
    return results.result(taskId, callers.of(request), name -> base + segment(name));
  }

  /** Locally the bytes from the blob store; with S3 a 302 to a presigned link (valid 5 minutes). */
  @ApiResponse(
      responseCode = "200",
      description = "the image bytes (local blob store)",
      content =
          @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")))
  @ApiResponse(
      responseCode = "302",
      description = "on AWS: Location is a presigned S3 URL, valid 5 minutes")
  @Get("/images/{name}")
  @Operation(operationId = "getTaskImage")
  public MutableHttpResponse<?> image(
      HttpRequest<?> request, @PathVariable String taskId, @PathVariable String name) {
    TaskResults.ImageContent image = results.image(taskId, name, callers.of(request));
    MutableHttpResponse<?> response =
        image.redirect() != null
            ? HttpResponse.status(HttpStatus.FOUND).header("Location", image.redirect().toString())
            : HttpResponse.ok(image.bytes())
                .contentType(image.contentType())
                .contentLength(image.bytes().length);
    return response.header("Cache-Control", IMAGE_CACHING);
  }

  private static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
