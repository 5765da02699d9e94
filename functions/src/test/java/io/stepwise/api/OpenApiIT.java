package io.stepwise.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.testing.ApiClient;
import io.stepwise.testing.ApiClient.Response;
import io.stepwise.testing.LocalServicesBase;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/openapi.json} through the real API Lambda handler: the committed document, byte
 * for byte.
 */
@MicronautTest(environments = {"test", "scripted"})
class OpenApiIT extends LocalServicesBase {

  @Test
  void theDocument_isServedThroughTheLambdaHandler_toAnyCaller() {
    ApiClient api = new ApiClient(context);
    String expected =
        new String(OpenApiDocument.load(context.getBean(JsonMapper.class)), StandardCharsets.UTF_8);
    for (Response r :
        new Response[] {
          api.get("/api/openapi.json"), api.getAs("/api/openapi.json", Map.of("sub", "reader"))
        }) {
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.contentType()).startsWith("application/json");
      assertThat(r.base64Encoded() ? new String(r.bytes(), StandardCharsets.UTF_8) : r.body())
          .isEqualTo(expected);
      assertThat(r.text("openapi")).isEqualTo("3.1.0");
    }
  }
}
