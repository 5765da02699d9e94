package io.stepwise.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.stepwise.model.Pipelines;
import io.stepwise.models.ModelCatalog;
import io.stepwise.models.ModelSpec;
import io.stepwise.usage.ModelUsageStats;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * {@code GET /api/models/usage?window=1h|24h|7d&pipeline=}: each configured model's calls,
 * outcomes, tokens, cost and latency over the window. The models are the platform's, so the figures
 * are too (every caller's calls).
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
@Controller("/api/models")
public class ModelUsageController {

  private final ModelUsageStats stats;
  private final ModelCatalog catalog;
  private final Pipelines pipelines;

  public ModelUsageController(ModelUsageStats stats, ModelCatalog catalog, Pipelines pipelines) {
    this.stats = stats;
    this.catalog = catalog;
    this.pipelines = pipelines;
  }

  @Get("/usage")
  @Operation(operationId = "getModelUsage")
  public ModelUsageStats.Overview usage(
      @Nullable @QueryValue String window, @Nullable @QueryValue String pipeline) {
    String label = window == null || window.isEmpty() ? "24h" : window;
    ModelUsageStats.Window w =
        ModelUsageStats.Window.parse(label)
            .orElseThrow(() -> new BadRequestException("'window' must be 1h, 24h or 7d"));
    String only = pipeline == null || pipeline.isEmpty() ? null : pipeline;
    if (only != null && pipelines.find(only).isEmpty()) {
      throw new BadRequestException(
          "'pipeline' must be one of " + String.join(", ", pipelines.names()));
    }
    return stats.over(w, only, catalog.all().stream().map(ModelSpec::name).toList());
  }
}
