package io.stepwise.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An MCP server over streamable HTTP ({@code POST /mcp}, JSON-RPC 2.0, JSON responses, {@code Mcp-Session-Id})
 * exposing one tool, {@code publish_content} (title, content, images, tags), which records each call. No
 * server-initiated stream is offered: {@code GET /mcp} answers 405, as the transport allows.
 */
public final class McpServer extends LoopbackServer {

  private static final Set<String> VERSIONS = Set.of("2024-11-05", "2025-03-26", "2025-06-18");

  /** One tool call as received. */
  public record ToolCall(String sessionId, String tool, JsonNode arguments) {}

  /** How the next tools/call goes: answered normally, as a tool error, as an HTTP error, or after a delay. */
  public record CallFault(boolean toolError, int httpStatus, long delayMillis, boolean recordAnyway) {}

  /** The optional argument by which publish_content de-duplicates, as publish APIs that take a client token do. */
  public static final String IDEMPOTENCY_ARGUMENT = "idempotency_key";

  private final List<ToolCall> calls = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> publishedByKey = new ConcurrentHashMap<>();
  private final Deque<CallFault> faults = new ArrayDeque<>();

  private McpServer(int port) {
    super(port);
    route("/mcp", this::handle);
    start();
  }

  public static McpServer start(int port) {
    return new McpServer(port);
  }

  public String endpoint() {
    return baseUrl() + "/mcp";
  }

  /** Calls that reached the tool (a published post each). */
  public List<ToolCall> calls() {
    return List.copyOf(calls);
  }

  public synchronized void failNextCall(CallFault fault) {
    faults.add(fault);
  }

  public synchronized void reset() {
    calls.clear();
    publishedByKey.clear();
    faults.clear();
  }

  private synchronized CallFault nextFault() {
    return faults.poll();
  }

  private void handle(HttpExchange exchange) throws IOException {
    switch (exchange.getRequestMethod()) {
      case "POST" -> post(exchange);
      case "DELETE" -> send(exchange, 200, null, new byte[0]);
      default -> {
        exchange.getResponseHeaders().set("Allow", "POST, DELETE");
        send(exchange, 405, null, new byte[0]);
      }
    }
  }

  private void post(HttpExchange exchange) throws IOException {
    JsonNode message = JSON.readTree(exchange.getRequestBody().readAllBytes());
    String method = message.path("method").asText();
    if (!message.has("id")) {
      send(exchange, 202, null, new byte[0]); // a notification, e.g. notifications/initialized
      return;
    }
    String session = exchange.getRequestHeaders().getFirst("Mcp-Session-Id");
    ObjectNode response = JSON.createObjectNode().put("jsonrpc", "2.0");
    response.set("id", message.get("id"));
    switch (method) {
      case "initialize" -> {
        String requested = message.path("params").path("protocolVersion").asText();
        ObjectNode result = response.putObject("result");
        result.put("protocolVersion", VERSIONS.contains(requested) ? requested : "2025-06-18");
        result.putObject("capabilities").putObject("tools").put("listChanged", false);
        result.putObject("serverInfo").put("name", "stepwise-fake-publisher").put("version", "1.0.0");
        exchange.getResponseHeaders().set("Mcp-Session-Id", UUID.randomUUID().toString());
      }
      case "ping" -> response.putObject("result");
      case "tools/list" -> response.putObject("result").set("tools", JSON.createArrayNode().add(toolSchema()));
      case "tools/call" -> {
        if (!toolCall(exchange, message, session, response)) {
          return;
        }
      }
      default -> response.putObject("error").put("code", -32601).put("message", "Method not found: " + method);
    }
    sendJson(exchange, 200, response);
  }

  /** Returns false when the fault already answered (or dropped) the request. */
  private boolean toolCall(HttpExchange exchange, JsonNode message, String session, ObjectNode response) throws IOException {
    JsonNode params = message.path("params");
    String tool = params.path("name").asText();
    String key = params.path("arguments").path(IDEMPOTENCY_ARGUMENT).asText(null);
    Integer earlier = key == null ? null : publishedByKey.get(key);
    if (earlier != null) {
      return respondPublished(response, earlier); // the same post again: its first receipt, nothing published
    }
    CallFault fault = nextFault();
    if (fault != null) {
      int recorded = fault.recordAnyway() ? record(new ToolCall(session, tool, params.path("arguments")), key) : 0;
      pause(fault.delayMillis());
      if (fault.httpStatus() > 0) {
        send(exchange, fault.httpStatus(), "text/plain", "publisher unavailable".getBytes());
        return false;
      }
      if (fault.toolError()) {
        ObjectNode result = response.putObject("result");
        result.putArray("content").addObject().put("type", "text").put("text", "rejected: account is not allowed to post");
        result.put("isError", true);
        return true;
      }
      if (fault.recordAnyway()) {
        return respondPublished(response, recorded);
      }
    }
    if (!tool.equals("publish_content")) {
      response.putObject("error").put("code", -32602).put("message", "Unknown tool: " + tool);
      return true;
    }
    JsonNode args = params.path("arguments");
    if (!args.path("title").isTextual() || !args.path("content").isTextual()) {
      ObjectNode result = response.putObject("result");
      result.putArray("content").addObject().put("type", "text").put("text", "title and content are required strings");
      result.put("isError", true);
      return true;
    }
    return respondPublished(response, record(new ToolCall(session, tool, args), key));
  }

  /** Keeps a call that published a post; returns its number (the post's id is {@code note-<n>}). */
  private synchronized int record(ToolCall call, String key) {
    calls.add(call);
    if (key != null) {
      publishedByKey.put(key, calls.size());
    }
    return calls.size();
  }

  private static boolean respondPublished(ObjectNode response, int n) {
    ObjectNode result = response.putObject("result");
    String id = "note-" + n;
    result.putArray("content").addObject().put("type", "text").put("text", "published as " + id);
    result.putObject("structuredContent").put("id", id).put("url", "https://example.invalid/notes/" + id);
    result.put("isError", false);
    return true;
  }

  private static ObjectNode toolSchema() {
    ObjectNode tool = JSON.createObjectNode();
    tool.put("name", "publish_content").put("description", "Publish a post with images and tags");
    ObjectNode schema = tool.putObject("inputSchema");
    schema.put("type", "object");
    ObjectNode props = schema.putObject("properties");
    props.putObject("title").put("type", "string");
    props.putObject("content").put("type", "string");
    props.putObject("images").put("type", "array").putObject("items").put("type", "string");
    props.putObject("tags").put("type", "array").putObject("items").put("type", "string");
    props.putObject(IDEMPOTENCY_ARGUMENT).put("type", "string")
        .put("description", "optional; a post sent again with the same key is not published twice");
    schema.putArray("required").add("title").add("content");
    return tool;
  }
}
