package io.stepwise.pipelines.digest.publish;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.stepwise.pipelines.digest.payload.PostPayload;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.steps.errors.TransientStepException;
import jakarta.inject.Singleton;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Publishes through an MCP server's tool over streamable HTTP with the official MCP Java SDK. The tool and its
 * argument names are configurable (default {@code publish_content(title, content, images, tags)}); if the
 * server accepts an idempotency key, name its argument and uncertain publishes become safe to resend. The
 * target's credentials, if it wants any, come from {@link McpAuthorization}.
 */
@Singleton
@Requires(property = "stepwise.publish.mcp.url")
public class McpPublisher implements Publisher {

  private final URI url;
  private final String tool;
  private final Map<String, String> arguments;
  private final String idempotencyArgument;
  private final Duration timeout;
  private final McpAuthorization auth;
  private final JsonMapper json;

  public McpPublisher(
      @Value("${stepwise.publish.mcp.url}") URI url,
      @Value("${stepwise.publish.mcp.tool:publish_content}") String tool,
      @Value("${stepwise.publish.mcp.arguments.title:title}") String title,
      @Value("${stepwise.publish.mcp.arguments.content:content}") String content,
      @Value("${stepwise.publish.mcp.arguments.images:images}") String images,
      @Value("${stepwise.publish.mcp.arguments.tags:tags}") String tags,
      @Nullable @Value("${stepwise.publish.mcp.arguments.idempotency-key:}") String idempotencyArgument,
      @Value("${stepwise.publish.mcp.timeout:30s}") Duration timeout,
      McpAuthorization auth,
      JsonMapper json) {
    this.auth = auth;
    this.json = json;
    this.url = url;
    this.tool = tool;
    this.arguments = Map.of("title", title, "content", content, "images", images, "tags", tags);
    this.idempotencyArgument = idempotencyArgument == null || idempotencyArgument.isBlank() ? null : idempotencyArgument;
    this.timeout = timeout;
  }

  @Override
  public String target() {
    return "mcp";
  }

  @Override
  public boolean honoursIdempotencyKey() {
    return idempotencyArgument != null;
  }

  /**
   * One publish, as the streamable-HTTP transport says a client behaves: an answer of 404 to the tool call means
   * the session is gone, so a new session is started and the call sent once more under the same idempotency
   * key (the server did not process it); 400 is the server refusing the request, terminal with its message;
   * 401/403 are terminal naming the credentials. Other HTTP errors are transient (nothing was published); a
   * call that got no answer has an unknown outcome.
   */
  @Override
  public Receipt publish(PostPayload post, String idempotencyKey) {
    try {
      return publishInSession(post, idempotencyKey);
    } catch (SessionGone first) {
      try {
        return publishInSession(post, idempotencyKey);
      } catch (SessionGone again) {
        throw new TransientStepException("MCP server at " + url + " lost the session twice in a row (HTTP 404 to tools/call); nothing was published");
      }
    }
  }

  /** The tools/call was answered 404: its session expired. */
  private static final class SessionGone extends RuntimeException {
    SessionGone() {
      super(null, null, false, false);
    }
  }

  private Receipt publishInSession(PostPayload post, String idempotencyKey) {
    String base = url.getScheme() + "://" + url.getAuthority();
    McpResponses responses = new McpResponses();
    Optional<String> authorization = auth.header();
    var transport = HttpClientStreamableHttpTransport.builder(base).endpoint(url.getRawPath())
        .clientBuilder(responses)
        .customizeRequest(b -> authorization.ifPresent(value -> b.header("Authorization", value)))
        .connectTimeout(Duration.ofSeconds(5)).build();
    McpSyncClient client = McpClient.sync(transport)
        .requestTimeout(timeout)
        .initializationTimeout(timeout)
        .clientInfo(new McpSchema.Implementation("stepwise", "0.1.0"))
        .build();
    try {
      try {
        client.initialize();
      } catch (RuntimeException e) {
        // Nothing was published: the session never started.
        throw initializeFailed(e, responses);
      }
      responses.forget();
      McpSchema.CallToolResult result;
      try {
        result = client.callTool(new McpSchema.CallToolRequest(tool, args(post, idempotencyKey)));
      } catch (McpError e) {
        throw new TerminalStepException("MCP tool " + tool + " refused the call: " + e.getMessage(), e);
      } catch (RuntimeException e) {
        throw classify(e, responses);
      }
      if (Boolean.TRUE.equals(result.isError())) {
        throw new TerminalStepException("MCP tool " + tool + " reported an error: " + text(result));
      }
      return receipt(result);
    } finally {
      client.closeGracefully();
    }
  }

  private RuntimeException initializeFailed(RuntimeException e, McpResponses responses) {
    Optional<McpResponses.Answer> answer = responses.last();
    if (answer.isPresent() && answer.get().status() >= 400) {
      int status = answer.get().status();
      RuntimeException refused = refusal(answer.get(), "initialize", e);
      if (refused != null) {
        return refused;
      }
      if (status == 404) {
        return new TerminalStepException("MCP server at " + url + " has no MCP endpoint there (HTTP 404 to initialize): check stepwise.publish.mcp.url", e);
      }
      return new TransientStepException("MCP server at " + url + " answered initialize with HTTP " + status + "; nothing was published", e);
    }
    return new TransientStepException("MCP server at " + url + " could not be reached: " + rootMessage(e), e);
  }

  /** 400, 401 and 403, in our words with the server's; null for any other status. */
  private RuntimeException refusal(McpResponses.Answer answer, String call, RuntimeException e) {
    int status = answer.status();
    if (status == 401 || status == 403) {
      auth.refused();
      String challenge = answer.headers().firstValue("WWW-Authenticate").map(c -> " (WWW-Authenticate: " + c + ")").orElse("");
      return new TerminalStepException("MCP server at " + url + (status == 401 ? " wants authorisation" : " does not allow this client")
          + ": HTTP " + status + " to " + call + challenge + "; sent " + auth.describe(), e);
    }
    if (status == 400) {
      return new TerminalStepException("MCP server at " + url + " refused " + call + " as a bad request (HTTP 400): " + serverMessage(answer.errorBody()), e);
    }
    return null;
  }

  /** The JSON-RPC error's message, or the body's text, in one line. */
  private String serverMessage(String body) {
    String text = body == null ? "" : body.trim();
    try {
      JsonNode node = json.readValue(text, JsonNode.class);
      JsonNode error = node == null ? null : node.get("error");
      if (error != null && error.isObject() && error.get("message") != null) {
        text = error.get("message").coerceStringValue();
      } else if (error != null && error.isString()) {
        text = error.getStringValue();
      }
    } catch (java.io.IOException | RuntimeException notJson) {
      // the body as text, then
    }
    text = text.replaceAll("\\s+", " ");
    return text.isEmpty() ? "(no message)" : text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }

  /**
   * What a failed tools/call means, from the HTTP answer when one came (the SDK reports 400 and 404 alike as a
   * missing session): 404 → the session is gone; 400/401/403 → refused; other HTTP errors → nothing was
   * published. Connection refused: nothing was sent. A timeout, or no answer: the outcome is unknown.
   */
  private RuntimeException classify(RuntimeException e, McpResponses responses) {
    Optional<McpResponses.Answer> answer = responses.last().filter(a -> a.status() >= 400);
    if (answer.isPresent()) {
      if (answer.get().status() == 404) {
        return new SessionGone();
      }
      RuntimeException refused = refusal(answer.get(), "tools/call", e);
      return refused != null ? refused
          : new TransientStepException("MCP server at " + url + " answered tools/call with HTTP " + answer.get().status() + "; nothing was published", e);
    }
    if (hasCause(e, ConnectException.class)) {
      return new TransientStepException("MCP server at " + url + " went away before the call was sent: " + rootMessage(e), e);
    }
    return new PublishOutcomeUnknownException("MCP tool " + tool + " was called but gave no answer: " + rootMessage(e), e);
  }

  private Map<String, Object> args(PostPayload post, String idempotencyKey) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put(arguments.get("title"), post.title());
    args.put(arguments.get("content"), post.body());
    args.put(arguments.get("images"), post.images());
    args.put(arguments.get("tags"), post.tags());
    if (idempotencyArgument != null) {
      args.put(idempotencyArgument, idempotencyKey);
    }
    return args;
  }

  private static Receipt receipt(McpSchema.CallToolResult result) {
    if (result.structuredContent() instanceof Map<?, ?> structured) {
      Object id = structured.get("id");
      Object link = structured.get("url");
      return new Receipt(id == null ? null : id.toString(), link == null ? null : link.toString());
    }
    return new Receipt(text(result), null);
  }

  private static String text(McpSchema.CallToolResult result) {
    return result.content() == null ? "" : result.content().stream()
        .filter(McpSchema.TextContent.class::isInstance).map(c -> ((McpSchema.TextContent) c).text())
        .collect(Collectors.joining(" "));
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }
}
