package io.stepwise.testing;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.stepwise.api.ApiFunction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs in a fresh JVM with only the shaded jar (and this class and {@link TestLambdaContext}) on
 * the classpath, as the Lambda runtime would: creates one handler through its no-argument
 * constructor, sends it one event and prints the response with wall-clock marks ({@code MARK
 * main|init|response <epoch ms>}) for {@link HandlerJvm}.
 *
 * <p>Arguments: the handler class, then for the api {@code METHOD path [body]}, for the other
 * handlers the event JSON. A handler that throws answers {@code ERROR <exception class>:
 * <message>}. The api takes more requests after {@value #THEN}: each is answered by the same
 * handler once the first has been (a warm invocation, as Lambda reuses an environment), on a {@code
 * RESPONSE} line of its own after the first request's marks and class count.
 */
public final class HandlerProbe {

  /** Separates the api's requests in the arguments. */
  public static final String THEN = "--then";

  private HandlerProbe() {}

  public static void main(String[] args) throws Exception {
    System.out.println("MARK main " + System.currentTimeMillis());
    Class<?> type = Class.forName(args[0]);
    Object handler = type.getDeclaredConstructor().newInstance();
    System.out.println("MARK init " + System.currentTimeMillis());
    String response;
    List<List<String>> warm = new ArrayList<>();
    if (handler instanceof ApiFunction api) {
      List<List<String>> requests = requests(Arrays.asList(args).subList(1, args.length));
      response = answer(api, requests.get(0));
      warm.addAll(requests.subList(1, requests.size()));
    } else {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        ((RequestStreamHandler) handler)
            .handleRequest(
                new ByteArrayInputStream(args[1].getBytes(StandardCharsets.UTF_8)),
                out,
                new TestLambdaContext("probe"));
        response = out.toString(StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        // What the Lambda runtime reports, and Step Functions matches in Retry/Catch: the
        // exception's class name.
        response = "ERROR " + e.getClass().getName() + ": " + e.getMessage();
      }
    }
    long done = System.currentTimeMillis();
    System.out.println("RESPONSE " + response.replace('\n', ' '));
    System.out.println("MARK response " + done);
    // Read after the last mark: the management classes it loads are not in the figures.
    System.out.println(
        "CLASSES " + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
    for (List<String> request : warm) {
      System.out.println("RESPONSE " + answer((ApiFunction) handler, request).replace('\n', ' '));
    }
    System.out.flush();
    // Lambda freezes the process here; exiting at once keeps the JVM's shutdown out of the
    // measurement.
    Runtime.getRuntime().halt(0);
  }

  /** The api's requests: {@code METHOD path [body]} each, separated by {@link #THEN}. */
  private static List<List<String>> requests(List<String> args) {
    List<List<String>> requests = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals(THEN)) {
        requests.add(current);
        current = new ArrayList<>();
      } else {
        current.add(arg);
      }
    }
    requests.add(current);
    return requests;
  }

  private static String answer(ApiFunction api, List<String> request) {
    var answer =
        api.handleRequest(
            event(request.get(0), request.get(1), request.size() > 2 ? request.get(2) : null),
            new TestLambdaContext("probe"));
    return answer.getStatusCode() + " " + answer.getBody();
  }

  /**
   * An HTTP API payload 2.0 event as API Gateway sends it: the query both raw and as parameters.
   */
  private static APIGatewayV2HTTPEvent event(String method, String pathAndQuery, String body) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
      String[] kv = pair.split("=", 2);
      parameters.merge(kv[0], kv.length > 1 ? kv[1] : "", (a, b) -> a + "," + b);
    }
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRouteKey("$default")
        .withRawPath(path)
        .withRawQueryString(query)
        .withQueryStringParameters(parameters.isEmpty() ? null : parameters)
        .withHeaders(body == null ? Map.of() : Map.of("content-type", "application/json"))
        .withBody(body)
        .withIsBase64Encoded(false)
        .withRequestContext(
            APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(
                    APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                        .withMethod(method)
                        .withPath(path)
                        .withSourceIp("127.0.0.1")
                        .build())
                .withRouteKey("$default")
                .withStage("$default")
                .build())
        .build();
  }
}
