package io.stepwise.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An MCP server over streamable HTTP ({@code POST /mcp}, JSON-RPC 2.0, JSON responses, {@code
 * Mcp-Session-Id}) exposing one tool, {@code publish_content} (title, content, images, tags), which
 * records each call. No server-initiated stream is offered: {@code GET /mcp} answers 405, as the
 * transport allows.
 *
 * <p>Per the streamable-HTTP transport: a request naming a session the server no longer knows gets
 * 404 ({@link #expireSessions()}), after which a client must start a new session. With {@link
 * #requireBearer} every request needs {@code Authorization: Bearer <token>}, else 401 with {@code
 * WWW-Authenticate} (or 403 for a token that is known but not allowed, {@link #forbid}); {@code
 * POST /oauth/token} is an OAuth 2.1 token endpoint for the client-credentials grant ({@link
 * #oauthClient}), whose tokens the MCP endpoint accepts.
 */
public final class McpServer extends LoopbackServer {

  private static final Set<String> VERSIONS = Set.of("2024-11-05", "2025-03-26", "2025-06-18");

  /** One tool call as received. */
  public record ToolCall(String sessionId, String tool, JsonNode arguments) {}

  /**
   * How the next tools/call goes: answered normally, as a tool error, as an HTTP error (with a
   * JSON-RPC error body saying {@code message} when one is given, else plain text), or after a
   * delay.
   */
  public record CallFault(
      boolean toolError, int httpStatus, long delayMillis, boolean recordAnyway, String message) {

    public CallFault(boolean toolError, int httpStatus, long delayMillis, boolean recordAnyway) {
      this(toolError, httpStatus, delayMillis, recordAnyway, null);
    }
  }

  /**
   * The optional argument by which publish_content de-duplicates, as publish APIs that take a
   * client token do.
   */
  public static final String IDEMPOTENCY_ARGUMENT = "idempotency_key";

  private final List<ToolCall> calls = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> publishedByKey = new ConcurrentHashMap<>();
  private final Deque<CallFault> faults = new ArrayDeque<>();
  private final Set<String> sessions = ConcurrentHashMap.newKeySet();
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final Map<String, String> clients = new ConcurrentHashMap<>();
  private final List<String> tokenRequests = new CopyOnWriteArrayList<>();
  private volatile boolean authRequired;
  private volatile boolean forbidden;

  private McpServer(int port) {
    super(port);
    route("/mcp", this::handle);
    route("/oauth/token", this::token);
    start();
  }

  /** Every session issued so far is forgotten: a request naming one gets 404 (session expired). */
  public void expireSessions() {
    sessions.clear();
  }

  /**
   * Requests must carry {@code Authorization: Bearer <token>} (this one, or one the token endpoint
   * issued).
   */
  public void requireBearer(String token) {
    tokens.add(token);
    authRequired = true;
  }

  /**
   * Known tokens are refused with 403 (authenticated, not allowed), as a token without the needed
   * scope is.
   */
  public void forbid() {
    forbidden = true;
  }

  /**
   * A client the token endpoint issues tokens to (client-credentials grant); requires bearer
   * tokens.
   */
  public void oauthClient(String clientId, String clientSecret) {
    clients.put(clientId, clientSecret);
    authRequired = true;
  }

  /** The client ids that asked the token endpoint for a token, in order. */
  public List<String> tokenRequests() {
    return List.copyOf(tokenRequests);
  }

  public String tokenEndpoint() {
    return baseUrl() + "/oauth/token";
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
    sessions.clear();
    tokens.clear();
    clients.clear();
    tokenRequests.clear();
    authRequired = false;
    forbidden = false;
  }

  /**
   * OAuth 2.1 token endpoint, client-credentials grant (RFC 6749 section 4.4): client
   * authentication by HTTP Basic or by client_id/client_secret in the form; errors as section 5.2
   * says ({@code invalid_client} 401, {@code unsupported_grant_type} 400).
   */
  private void token(HttpExchange exchange) throws IOException {
    Map<String, String> form = new HashMap<>();
    for (String pair :
        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    String id = form.get("client_id");
    String secret = form.get("client_secret");
    String basic = exchange.getRequestHeaders().getFirst("Authorization");
    if (basic != null && basic.startsWith("Basic ")) {
      String decoded =
          new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      id = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
      secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
    }
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (!"client_credentials".equals(form.get("grant_type"))) {
      sendJson(exchange, 400, JSON.createObjectNode().put("error", "unsupported_grant_type"));
      return;
    }
    tokenRequests.add(String.valueOf(id));
    if (id == null || secret == null || !secret.equals(clients.get(id))) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"token\"");
      sendJson(
          exchange,
          401,
          JSON.createObjectNode()
              .put("error", "invalid_client")
              .put("error_description", "client authentication failed"));
      return;
    }
    String issued = "mcp-test-token-" + UUID.randomUUID();
    tokens.add(issued);
    sendJson(
        exchange,
        200,
        JSON.createObjectNode()
            .put("access_token", issued)
            .put("token_type", "Bearer")
            .put("expires_in", 3600));
  }

  /** False (and answered) when the request's bearer token is missing, unknown or not allowed. */
  private boolean authorised(HttpExchange exchange) throws IOException {
    if (!authRequired) {
      return true;
    }
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
    if (token == null || !tokens.contains(token)) {
      exchange
          .getResponseHeaders()
          .set(
              "WWW-Authenticate",
              "Bearer error=\"invalid_token\", resource_metadata=\""
                  + baseUrl()
                  + "/.well-known/oauth-protected-resource\"");
      sendJson(
          exchange,
          401,
          JSON.createObjectNode()
              .put("error", "invalid_token")
              .put("error_description", "a valid bearer token is required"));
      return false;
    }
    if (forbidden) {
      exchange
          .getResponseHeaders()
          .set("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"publish\"");
      sendJson(
          exchange,
          403,
          JSON.createObjectNode()
              .put("error", "insufficient_scope")
              .put("error_description", "the token may not publish"));
      return false;
    }
    return true;
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
    if (!authorised(exchange)) {
      return;
    }
    String session = exchange.getRequestHeaders().getFirst("Mcp-Session-Id");
    if (session != null && !sessions.contains(session) && !method.equals("initialize")) {
      send(
          exchange,
          404,
          "text/plain",
          "session not found".getBytes()); // expired: the client starts a new one
      return;
    }
    if (!message.has("id")) {
      send(exchange, 202, null, new byte[0]); // a notification, e.g. notifications/initialized
      return;
    }
    ObjectNode response = JSON.createObjectNode().put("jsonrpc", "2.0");
    response.set("id", message.get("id"));
    switch (method) {
      case "initialize" -> {
        String requested = message.path("params").path("protocolVersion").asText();
        ObjectNode result = response.putObject("result");
        result.put("protocolVersion", VERSIONS.contains(requested) ? requested : "2025-06-18");
        result.putObject("capabilities").putObject("tools").put("listChanged", false);
        result
            .putObject("serverInfo")
            .put("name", "stepwise-fake-publisher")
            .put("version", "1.0.0");
        String issued = UUID.randomUUID().toString();
        sessions.add(issued);
        exchange.getResponseHeaders().set("Mcp-Session-Id", issued);
      }
      case "ping" -> response.putObject("result");
      case "tools/list" ->
          response.putObject("result").set("tools", JSON.createArrayNode().add(toolSchema()));
      case "tools/call" -> {
        if (!toolCall(exchange, message, session, response)) {
          return;
        }
      }
      default ->
          response
              .putObject("error")
              .put("code", -32601)
              .put("message", "Method not found: " + method);
    }
    sendJson(exchange, 200, response);
  }

  /** Returns false when the fault already answered (or dropped) the request. */
  private boolean toolCall(
      HttpExchange exchange, JsonNode message, String session, ObjectNode response)
      throws IOException {
    JsonNode params = message.path("params");
    String tool = params.path("name").asText();
    String key = params.path("arguments").path(IDEMPOTENCY_ARGUMENT).asText(null);
    Integer earlier = key == null ? null : publishedByKey.get(key);
    if (earlier != null) {
      return respondPublished(
          response, earlier); // the same post again: its first receipt, nothing published
    }
    CallFault fault = nextFault();
    if (fault != null) {
      int recorded =
          fault.recordAnyway()
              ? record(new ToolCall(session, tool, params.path("arguments")), key)
              : 0;
      pause(fault.delayMillis());
      if (fault.httpStatus() > 0 && fault.message() != null) {
        ObjectNode error = JSON.createObjectNode().put("jsonrpc", "2.0");
        error.putNull("id");
        error.putObject("error").put("code", -32600).put("message", fault.message());
        sendJson(exchange, fault.httpStatus(), error);
        return false;
      }
      if (fault.httpStatus() > 0) {
        send(exchange, fault.httpStatus(), "text/plain", "publisher unavailable".getBytes());
        return false;
      }
      if (fault.toolError()) {
        ObjectNode result = response.putObject("result");
        result
            .putArray("content")
            .addObject()
            .put("type", "text")
            .put("text", "rejected: account is not allowed to post");
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
      result
          .putArray("content")
          .addObject()
          .put("type", "text")
          .put("text", "title and content are required strings");
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
    result
        .putObject("structuredContent")
        .put("id", id)
        .put("url", "https://example.invalid/notes/" + id);
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
    props
        .putObject(IDEMPOTENCY_ARGUMENT)
        .put("type", "string")
        .put("description", "optional; a post sent again with the same key is not published twice");
    schema.putArray("required").add("title").add("content");
    return tool;
  }
}
