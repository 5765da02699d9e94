package io.stepwise.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.api.ApiFunction;
import io.stepwise.testing.contract.ApiContract;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Calls the API the way API Gateway does: an HTTP API payload 2.0 event into the real {@link
 * ApiFunction} Lambda handler, and the handler's response event back.
 */
public final class ApiClient {

  private final ApiFunction function;
  private final JsonMapper json;

  public ApiClient(ApplicationContext context) {
    this.function = new ApiFunction(context);
    this.json = context.getBean(JsonMapper.class);
  }

  /**
   * A response: status, headers, body text (base64 when the handler sent bytes, as API Gateway gets
   * them), and the body as a JSON tree when it is JSON.
   */
  public record Response(
      int status, Map<String, String> headers, String body, JsonNode json, boolean base64Encoded) {
    /** The body's bytes: decoded when base64-encoded, else the text's UTF-8. */
    public byte[] bytes() {
      return base64Encoded
          ? Base64.getDecoder().decode(body)
          : body.getBytes(StandardCharsets.UTF_8);
    }

    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(Map.Entry::getValue)
          .findFirst()
          .orElse(null);
    }

    public String contentType() {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase("Content-Type"))
          .map(Map.Entry::getValue)
          .findFirst()
          .orElse("");
    }

    public String text(String field) {
      JsonNode node = json.get(field);
      return node == null || node.isNull() ? null : node.coerceStringValue();
    }
  }

  public Response get(String pathAndQuery) {
    return send("GET", pathAndQuery, null, Map.of(), null);
  }

  public Response post(String path, String body) {
    return send("POST", path, body, Map.of(), null);
  }

  public Response post(String path, String body, Map<String, String> headers) {
    return send("POST", path, body, headers, null);
  }

  /** A request that passed API Gateway's JWT authorizer with these claims. */
  public Response postAs(String path, String body, Map<String, String> claims) {
    return send("POST", path, body, Map.of(), claims);
  }

  /** A GET that passed API Gateway's JWT authorizer with these claims. */
  public Response getAs(String pathAndQuery, Map<String, String> claims) {
    return send("GET", pathAndQuery, null, Map.of(), claims);
  }

  /** Raw body bytes, as API Gateway passes a body it does not treat as text: base64 encoded. */
  public Response sendBytes(String method, String path, byte[] body, Map<String, String> headers) {
    return send(method, path, Base64.getEncoder().encodeToString(body), true, headers, null);
  }

  public Response send(
      String method,
      String pathAndQuery,
      String body,
      Map<String, String> headers,
      Map<String, String> claims) {
    return send(method, pathAndQuery, body, false, headers, claims);
  }

  private Response send(
      String method,
      String pathAndQuery,
      String body,
      boolean base64,
      Map<String, String> headers,
      Map<String, String> claims) {
    String path =
        pathAndQuery.contains("?")
            ? pathAndQuery.substring(0, pathAndQuery.indexOf('?'))
            : pathAndQuery;
    String query =
        pathAndQuery.contains("?") ? pathAndQuery.substring(pathAndQuery.indexOf('?') + 1) : "";
    Map<String, String> allHeaders = new HashMap<>();
    if (body != null) {
      allHeaders.put("content-type", "application/json");
    }
    allHeaders.putAll(headers);
    APIGatewayV2HTTPEvent.RequestContext.RequestContextBuilder requestContext =
        APIGatewayV2HTTPEvent.RequestContext.builder()
            .withHttp(
                APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                    .withMethod(method)
                    .withPath(path)
                    .withSourceIp("127.0.0.1")
                    .build())
            .withRouteKey("$default")
            .withStage("$default");
    if (claims != null) {
      requestContext.withAuthorizer(
          APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
              .withJwt(
                  APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT
                      .builder()
                      .withClaims(claims)
                      .build())
              .build());
    }
    APIGatewayV2HTTPEvent event =
        APIGatewayV2HTTPEvent.builder()
            .withVersion("2.0")
            .withRouteKey("$default")
            .withRawPath(path)
            .withRawQueryString(query)
            .withQueryStringParameters(queryMap(query))
            .withHeaders(allHeaders)
            .withBody(body)
            .withIsBase64Encoded(base64)
            .withRequestContext(requestContext.build())
            .build();
    APIGatewayV2HTTPResponse response = function.handleRequest(event, new TestLambdaContext("api"));
    Map<String, String> responseHeaders =
        response.getHeaders() == null ? Map.of() : response.getHeaders();
    LeakScan.record(
        "response to " + method + " " + pathAndQuery, response.getBody() + "\n" + responseHeaders);
    Response answer =
        new Response(
            response.getStatusCode(),
            responseHeaders,
            response.getBody(),
            parse(response.getBody()),
            response.getIsBase64Encoded());
    ApiContract.check(
        method,
        pathAndQuery,
        header(allHeaders, "content-type"),
        base64 ? null : body,
        answer.status(),
        answer.contentType(),
        answer.base64Encoded()
            ? new String(answer.bytes(), StandardCharsets.UTF_8)
            : answer.body());
    return answer;
  }

  private static String header(Map<String, String> headers, String name) {
    return headers.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  private static Map<String, String> queryMap(String query) {
    Map<String, String> params = new HashMap<>();
    if (!query.isEmpty()) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        params.put(
            eq < 0 ? pair : pair.substring(0, eq),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return params.isEmpty() ? null : params;
  }

  private JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return JsonNode.nullNode();
    }
    try {
      return json.readValue(body, JsonNode.class);
    } catch (IOException e) {
      return JsonNode.nullNode();
    }
  }
}
