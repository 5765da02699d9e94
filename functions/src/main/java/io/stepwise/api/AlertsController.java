package io.stepwise.api;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.stepwise.alerts.AlertOverview;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * {@code GET /api/alerts}: the rules, the active alerts and the last 100 transitions, as the alerts
 * function last stored them. Like {@code /api/models/health}, it describes the platform, not one
 * owner's tasks: every caller the API lets in sees it (figures only, no task ids), so the
 * dashboard's banner is the same for everyone.
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
@Controller("/api/alerts")
public class AlertsController {

  private final AlertOverview alerts;

  public AlertsController(AlertOverview alerts) {
    this.alerts = alerts;
  }

  @Get
  @Operation(operationId = "getAlerts")
  public AlertOverview.Alerts get() {
    return alerts.now();
  }
}
