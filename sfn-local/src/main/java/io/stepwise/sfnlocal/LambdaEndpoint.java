package io.stepwise.sfnlocal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Functions behind a Lambda Invoke endpoint ({@code POST
 * /2015-03-31/functions/{name}/invocations}), as SAM local or LocalStack serve it. A function error
 * ({@code X-Amz-Function-Error}) is reported by the {@code errorType} of its payload, as Step
 * Functions does; an error of the Lambda service itself by its type prefixed with {@code Lambda.}
 * (e.g. {@code Lambda.ResourceNotFoundException}); an endpoint that cannot be reached is {@code
 * Lambda.SdkClientException}.
 */
public final class LambdaEndpoint implements LambdaInvoker {

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public LambdaEndpoint(URI base) {
    String text = base.toString();
    this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
  }

  @Override
  public String invoke(String functionName, String payloadJson) throws LambdaFailure {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    base
                        + "/2015-03-31/functions/"
                        + URLEncoder.encode(functionName, StandardCharsets.UTF_8)
                        + "/invocations"))
            .header("Content-Type", "application/json")
            .header("X-Amz-Invocation-Type", "RequestResponse")
            .POST(HttpRequest.BodyPublishers.ofString(payloadJson))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new LambdaFailure(
          "Lambda.SdkClientException",
          error("Unable to execute HTTP request: " + e.getMessage(), "SdkClientException"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LambdaFailure(
          "Lambda.SdkClientException", error("interrupted", "SdkClientException"));
    }
    if (response.statusCode() / 100 != 2) {
      String type =
          response
              .headers()
              .firstValue("x-amzn-ErrorType")
              .map(t -> t.split(":")[0])
              .orElse(
                  response.statusCode() == 404
                      ? "ResourceNotFoundException"
                      : response.statusCode() == 429
                          ? "TooManyRequestsException"
                          : "ServiceException");
      throw new LambdaFailure("Lambda." + type, error(response.body(), type));
    }
    if (response.headers().firstValue("X-Amz-Function-Error").isPresent()) {
      String type = "Unhandled";
      try {
        JsonNode payload = Paths.JSON.readTree(response.body());
        type = payload.path("errorType").asText(type);
      } catch (IOException e) {
        // not JSON: the error keeps the generic name
      }
      throw new LambdaFailure(type, response.body());
    }
    return response.body().isEmpty() ? "null" : response.body();
  }

  private static String error(String message, String type) {
    return Paths.JSON
        .createObjectNode()
        .put("errorMessage", message)
        .put("errorType", type)
        .toString();
  }

  /** In-process functions first, then this endpoint for every name they do not have. */
  public static LambdaInvoker behind(InProcessLambdas local, LambdaEndpoint endpoint) {
    return (name, payload) ->
        local.has(name) ? local.invoke(name, payload) : endpoint.invoke(name, payload);
  }
}
