package io.stepwise.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.json.JsonMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * {@code GET /api/openapi.json}: the {@link OpenApiDocument}, read once from the jar. It sits
 * behind the same authorizer as every {@code /api} route (the stack keeps no {@code /api} path
 * public); the same document is committed at {@code docs/openapi.json} for readers without a token.
 */
@Controller("/api/openapi.json")
public class OpenApiController {

  private final byte[] document;

  public OpenApiController(JsonMapper json) {
    this.document = OpenApiDocument.load(json);
  }

  @Get(produces = MediaType.APPLICATION_JSON)
  @Operation(operationId = "getOpenApiDocument", summary = "This API's OpenAPI 3.1 document")
  @ApiResponse(
      responseCode = "200",
      description = "the document",
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = "object")))
  public HttpResponse<byte[]> document() {
    return HttpResponse.ok(document).contentType(MediaType.APPLICATION_JSON_TYPE);
  }
}
