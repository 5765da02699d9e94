package io.stepwise.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.stepwise.metrics.MetricsService;
import io.stepwise.metrics.TaskMetrics;
import io.stepwise.metrics.Windows;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/** {@code GET /api/metrics?window=24h}. */
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
@Controller("/api/metrics")
public class MetricsController {

  private final MetricsService metrics;
  private final Callers callers;

  public MetricsController(MetricsService metrics, Callers callers) {
    this.metrics = metrics;
    this.callers = callers;
  }

  /** The caller's own tasks' figures; an operator's (and the open mode's) cover every task. */
  @Get
  @Operation(operationId = "getMetrics")
  public TaskMetrics get(HttpRequest<?> request, @Nullable @QueryValue String window) {
    String label = window == null || window.isEmpty() ? "24h" : window;
    return metrics.over(
        label,
        Windows.parse(label)
            .orElseThrow(
                () ->
                    new BadRequestException(
                        "'window' must be minutes, hours or days such as 30m, 24h or 7d, at most 30d")),
        callers.of(request));
  }
}
