package io.stepwise.sfnlocal;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lambda functions running in this JVM: one warm handler instance per function, called through the
 * stream entry point the Lambda runtime calls. A thrown exception becomes what Lambda reports: its
 * class name as the error type and {@code {"errorMessage", "errorType", "stackTrace"}} as the error
 * payload.
 */
public final class InProcessLambdas implements LambdaInvoker {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, RequestStreamHandler> functions = new ConcurrentHashMap<>();

  public void register(String functionName, RequestStreamHandler handler) {
    functions.put(functionName, handler);
  }

  /** Whether a function of that name is registered. */
  public boolean has(String functionName) {
    return functions.containsKey(functionName);
  }

  @Override
  public String invoke(String functionName, String payloadJson) throws LambdaFailure {
    RequestStreamHandler handler = functions.get(functionName);
    if (handler == null) {
      throw new LambdaFailure(
          "Lambda.ResourceNotFoundException",
          errorJson(
              "Function not found: " + functionName,
              "ResourceNotFoundException",
              new StackTraceElement[0]));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      handler.handleRequest(
          new ByteArrayInputStream(payloadJson.getBytes(StandardCharsets.UTF_8)),
          out,
          new LocalLambdaContext(functionName));
    } catch (Throwable e) {
      String type = e.getClass().getName();
      throw new LambdaFailure(type, errorJson(e.getMessage(), type, e.getStackTrace()));
    }
    String result = out.toString(StandardCharsets.UTF_8);
    return result.isEmpty() ? "null" : result;
  }

  /**
   * Function names from function ARNs ({@code
   * arn:aws:lambda:<region>:<account>:function:<name>[:<alias>]}) or plain names.
   */
  public static String functionName(String arnOrName) {
    String[] parts = arnOrName.split(":");
    return parts.length >= 7 && "function".equals(parts[5]) ? parts[6] : arnOrName;
  }

  private static String errorJson(String message, String type, StackTraceElement[] stack) {
    ObjectNode error = JSON.createObjectNode();
    error.put("errorMessage", message);
    error.put("errorType", type);
    ArrayNode trace = error.putArray("stackTrace");
    Arrays.stream(stack).limit(20).forEach(f -> trace.add(f.toString()));
    return error.toString();
  }
}
