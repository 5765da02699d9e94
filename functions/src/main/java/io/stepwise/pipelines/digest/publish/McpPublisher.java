package io.stepwise.pipelines.digest.publish;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
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
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Publishes through an MCP server's tool over streamable HTTP with the official MCP Java SDK. The tool and its
 * argument names are configurable (default {@code publish_content(title, content, images, tags)}); if the
 * server accepts an idempotency key, name its argument and uncertain publishes become safe to resend.
 */
@Singleton
@Requires(property = "stepwise.publish.mcp.url")
public class McpPublisher implements Publisher {

  private final URI url;
  private final String tool;
  private final Map<String, String> arguments;
  private final String idempotencyArgument;
  private final Duration timeout;

  public McpPublisher(
      @Value("${stepwise.publish.mcp.url}") URI url,
      @Value("${stepwise.publish.mcp.tool:publish_content}") String tool,
      @Value("${stepwise.publish.mcp.arguments.title:title}") String title,
      @Value("${stepwise.publish.mcp.arguments.content:content}") String content,
      @Value("${stepwise.publish.mcp.arguments.images:images}") String images,
      @Value("${stepwise.publish.mcp.arguments.tags:tags}") String tags,
      @Nullable @Value("${stepwise.publish.mcp.arguments.idempotency-key:}") String idempotencyArgument,
      @Value("${stepwise.publish.mcp.timeout:30s}") Duration timeout) {
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

  @Override
  public Receipt publish(PostPayload post, String idempotencyKey) {
    String base = url.getScheme() + "://" + url.getAuthority();
    var transport = HttpClientStreamableHttpTransport.builder(base).endpoint(url.getRawPath()).connectTimeout(Duration.ofSeconds(5)).build();
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
        throw new TransientStepException("MCP server at " + url + " could not be reached: " + rootMessage(e), e);
      }
      McpSchema.CallToolResult result;
      try {
        result = client.callTool(new McpSchema.CallToolRequest(tool, args(post, idempotencyKey)));
      } catch (McpError e) {
        throw new TerminalStepException("MCP tool " + tool + " refused the call: " + e.getMessage(), e);
      } catch (RuntimeException e) {
        throw classify(e);
      }
      if (Boolean.TRUE.equals(result.isError())) {
        throw new TerminalStepException("MCP tool " + tool + " reported an error: " + text(result));
      }
      return receipt(result);
    } finally {
      client.closeGracefully();
    }
  }

  /**
   * What a failed tools/call means. Connection refused: nothing was sent. An HTTP error answer: the server
   * said it did not process the call (the SDK, 0.14.1, reports this only as "Failed to send message" without the
   * status). A timeout, or anything not recognised: the call may have been processed, so the outcome is unknown.
   */
  private RuntimeException classify(RuntimeException e) {
    if (hasCause(e, ConnectException.class)) {
      return new TransientStepException("MCP server at " + url + " went away before the call was sent: " + rootMessage(e), e);
    }
    if (!hasCause(e, TimeoutException.class) && String.valueOf(e.getMessage()).startsWith("Failed to send message")) {
      return new TransientStepException("MCP server at " + url + " answered tools/call with an HTTP error; nothing was published", e);
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
