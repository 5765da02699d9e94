package io.stepwise.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI document's header, security scheme and the request bodies the controllers read as
 * text (they parse strictly themselves, see {@link StrictJson}); micronaut-openapi writes the
 * document at compile time to {@code META-INF/swagger/stepwise-openapi.json}, served by {@link
 * OpenApiController}. These records only describe; nothing deserialises into them.
 */
@OpenAPIDefinition(
    info =
        @Info(
            title = "Stepwise API",
            version = "0.1.0",
            description =
                "Multi-step AI pipelines with checkpoints: start, watch, retry and rerun tasks, batches and model"
                    + " health. Errors are application/problem+json (RFC 9457). GET responses of tasks, the task list, batches"
                    + " and model health carry an ETag; send it back as If-None-Match to get 304 with no body.",
            license = @License(name = "MIT", identifier = "MIT")),
    security = @SecurityRequirement(name = ApiDocument.BEARER))
@SecurityScheme(
    name = ApiDocument.BEARER,
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    bearerFormat = "JWT",
    description =
        "An OIDC access or ID token (API Gateway's JWT authorizer on AWS, the dev issuer with --auth locally)."
            + " Without an authorizer (the local runtime without --auth) every caller is the same anonymous owner.")
public final class ApiDocument {

  static final String BEARER = "bearer";
  static final String CLIENT_PROBLEM =
      "a problem (RFC 9457): 400 bad input, 404 unknown (or another owner's), 409 invalid"
          + " transition, 413 too large, 414/431 over-long URL or headers, 415 charset, 422 reused key or too many matches";
  static final String UNAUTHORIZED =
      "no valid bearer token: API Gateway's JWT authorizer (or --auth locally) answers"
          + " before the API runs, in its own shape";
  static final String SERVER_PROBLEM =
      "a problem (RFC 9457) naming only an incident id; 503 when the workflow service is unavailable";

  private ApiDocument() {}

  @Schema(
      name = "Unauthorized",
      description = "API Gateway's answer to a request without a valid token")
  record Unauthorized(String message) {}

  @Schema(
      name = "TaskRequest",
      description =
          "Starts a task. 'pipeline' picks the pipeline (default: the configured one); every other field is"
              + " that pipeline's input, validated strictly (unknown fields or wrong types are 400). Each pipeline's exact"
              + " input schema is served by GET /api/pipelines (inputSchema): pipelines are configuration, so this"
              + " document does not fix their fields. {} is valid.",
      additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
  record TaskRequest(
      @Schema(
              description = "a pipeline name from GET /api/pipelines",
              requiredMode = Schema.RequiredMode.NOT_REQUIRED)
          String pipeline) {}

  @Schema(
      name = "RetryRequest",
      description = "Optional body of a retry or rerun: input fields to change for the new run.")
  record RetryRequest(
      @Schema(
              requiredMode = Schema.RequiredMode.NOT_REQUIRED,
              description = "input fields the start step and later steps read",
              additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
          Map<String, Object> overrides) {}

  @Schema(name = "ReviewDecision", description = "A decision on a task's open review.")
  record ReviewDecision(
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              allowableValues = {"approve", "reject"},
              description = "approve: the task goes on; reject: it ends as rejected")
          String decision,
      @Schema(
              requiredMode = Schema.RequiredMode.NOT_REQUIRED,
              maxLength = ReviewController.MAX_COMMENT_CHARS,
              description = "why, for the task's history")
          String comment) {}

  @Schema(
      name = "BatchRequest",
      description =
          "Either 'tasks' (one task body each) or 'count' copies of 'task' (default {}), and optionally 'maxRunning'."
              + " Each task body's 'pipeline' names its pipeline, as in POST /api/tasks (without it, the default pipeline):"
              + " {\"count\":5,\"task\":{\"pipeline\":\"<name>\", ...its input}} starts five tasks of that pipeline.")
  record BatchRequest(
      @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED) List<TaskRequest> tasks,
      @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED, minimum = "1") Integer count,
      @Schema(
              requiredMode = Schema.RequiredMode.NOT_REQUIRED,
              description = "the body of each of the 'count' tasks, its pipeline included")
          TaskRequest task,
      @Schema(
              requiredMode = Schema.RequiredMode.NOT_REQUIRED,
              minimum = "1",
              description =
                  "how many of the batch's tasks may run at once (default"
                      + " stepwise.batches.max-running-per-batch; at most stepwise.batches.max-running);"
                      + " the rest wait pending and start as others finish")
          Integer maxRunning) {}

  @Schema(
      name = "RecoveryRequest",
      description =
          "Bulk recovery: every field optional; status defaults to failed, dryRun to false.")
  record RecoveryRequest(
      @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED) RecoveryFilter filter,
      @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED) Boolean dryRun) {}

  @Schema(name = "RecoveryFilter")
  record RecoveryFilter(
      @Schema(
              requiredMode = Schema.RequiredMode.NOT_REQUIRED,
              allowableValues = {"failed", "cancelled"})
          String status,
      @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED) String pipeline,
      @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED) String failedStep,
      @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED) String errorType,
      @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED, format = "date-time") String since,
      @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED, format = "date-time") String until,
      @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED) String batchId) {}
}
