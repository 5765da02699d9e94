package io.stepwise.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document the build generates: its committed copy, its security scheme, its error
 * shapes.
 */
class OpenApiDocumentTest {

  private static final JsonMapper JSON = JsonMapper.createDefault();
  private static final Path COMMITTED = Path.of("..", "docs", "openapi.json");

  @Test
  void committedCopy_isTheGeneratedDocument() throws IOException {
    String generated = new String(OpenApiDocument.load(JSON), StandardCharsets.UTF_8);
    Path fresh = Path.of("target", "openapi.json");
    Files.writeString(fresh, generated);
    assertThat(Files.exists(COMMITTED) ? Files.readString(COMMITTED) : "")
        .as(
            "docs/openapi.json differs from the document the controllers generate. After a clean build"
                + " (./mvnw -o -q -pl functions clean test-compile; an incremental compile may see only some controllers),"
                + " refresh it with: cp functions/target/openapi.json docs/openapi.json")
        .isEqualTo(generated);
  }

  @Test
  void document_isOpenApi31_withTheBearerJwtScheme_andProblemsOnEveryOperation()
      throws IOException {
    JsonNode doc = JSON.readValue(OpenApiDocument.load(JSON), JsonNode.class);
    assertThat(doc.get("openapi").getStringValue()).startsWith("3.1.");
    JsonNode bearer = doc.get("components").get("securitySchemes").get("bearer");
    assertThat(bearer.get("scheme").getStringValue()).isEqualTo("bearer");
    assertThat(bearer.get("bearerFormat").getStringValue()).isEqualTo("JWT");
    List<String> ids = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : doc.get("paths").entries()) {
      for (Map.Entry<String, JsonNode> operation : path.getValue().entries()) {
        String name = operation.getKey() + " " + path.getKey();
        ids.add(operation.getValue().get("operationId").getStringValue());
        if (!path.getKey().equals("/api/openapi.json")) {
          assertThat(operation.getValue().get("responses").get("4XX")).as(name).isNotNull();
          assertThat(
                  operation
                      .getValue()
                      .get("responses")
                      .get("4XX")
                      .get("content")
                      .get(Problem.MEDIA_TYPE))
              .as(name)
              .isNotNull();
        }
      }
    }
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(doc.get("paths").get("/")).as("the dashboard is not the API").isNull();
  }

  @Test
  void correct_makesANullableReferenceAcceptNullOrTheReference() throws IOException {
    JsonNode generated =
        JSON.readValue(
            "{\"type\":\"null\",\"allOf\":[{\"$ref\":\"#/components/schemas/TaskError\"}]}",
            JsonNode.class);
    assertThat(
            new String(
                JSON.writeValueAsBytes(OpenApiDocument.correct(generated)), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"anyOf\":[{\"allOf\":[{\"$ref\":\"#/components/schemas/TaskError\"}]},{\"type\":\"null\"}]}");
    JsonNode scalar = JSON.readValue("{\"type\":[\"string\",\"null\",\"object\"]}", JsonNode.class);
    assertThat(
            new String(
                JSON.writeValueAsBytes(OpenApiDocument.correct(scalar)), StandardCharsets.UTF_8))
        .isEqualTo("{\"type\":[\"string\",\"null\"]}");
  }
}
