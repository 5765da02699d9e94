package io.stepwise.kit.publish;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.stepwise.http.KnownSecrets;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.steps.errors.TransientStepException;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Publishes through an MCP server's tool over streamable HTTP with the official MCP Java SDK. The
 * tool and its argument names are configurable (default {@code publish_content(title, content,
 * images, tags)}); if the server accepts an idempotency key, name its argument and uncertain
 * publishes become safe to resend. The target's credentials, if it wants any, come from {@link
 * McpAuthorization}.
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
  private final McpFailures failures;

  public McpPublisher(
      @Value("${stepwise.publish.mcp.url}") URI url,
      @Value("${stepwise.publish.mcp.tool:publish_content}") String tool,
      @Value("${stepwise.publish.mcp.arguments.title:title}") String title,
      @Value("${stepwise.publish.mcp.arguments.content:content}") String content,
      @Value("${stepwise.publish.mcp.arguments.images:images}") String images,
      @Value("${stepwise.publish.mcp.arguments.tags:tags}") String tags,
      @Nullable @Value("${stepwise.publish.mcp.arguments.idempotency-key:}")
          String idempotencyArgument,
      @Value("${stepwise.publish.mcp.timeout:30s}") Duration timeout,
      McpAuthorization auth,
      JsonMapper json,
      KnownSecrets known) {
    this.auth = auth;
    this.failures = new McpFailures(url, tool, auth, json, known);
    this.url = url;
    this.tool = tool;
    this.arguments = Map.of("title", title, "content", content, "images", images, "tags", tags);
    this.idempotencyArgument =
        idempotencyArgument == null || idempotencyArgument.isBlank() ? null : idempotencyArgument;
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
   * One publish, as the streamable-HTTP transport says a client behaves: an answer of 404 to the
   * tool call means the session is gone, so a new session is started and the call sent once more
   * under the same idempotency key (the server did not process it); 400 is the server refusing the
   * request, terminal with its message; 401/403 are terminal naming the credentials. Other HTTP
   * errors are transient (nothing was published); a call that got no answer has an unknown outcome.
   */
  @Override
  public Receipt publish(PostPayload post, String idempotencyKey) {
    try {
      return publishInSession(post, idempotencyKey);
    } catch (McpFailures.SessionGone first) {
      try {
        return publishInSession(post, idempotencyKey);
      } catch (McpFailures.SessionGone again) {
        throw new TransientStepException(
            "MCP server at "
                + url
                + " lost the session twice in a row (HTTP 404 to tools/call); nothing was published");
      }
    }
  }

  private Receipt publishInSession(PostPayload post, String idempotencyKey) {
    String base = url.getScheme() + "://" + url.getAuthority();
    McpResponses responses = new McpResponses();
    Optional<String> authorization = auth.header();
    var transport =
        HttpClientStreamableHttpTransport.builder(base)
            .endpoint(url.getRawPath())
            .clientBuilder(responses)
            .customizeRequest(
                b -> authorization.ifPresent(value -> b.header("Authorization", value)))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    McpSyncClient client =
        McpClient.sync(transport)
            .requestTimeout(timeout)
            .initializationTimeout(timeout)
            .clientInfo(new McpSchema.Implementation("stepwise", "0.1.0"))
            .build();
    try {
      try {
        client.initialize();
      } catch (RuntimeException e) {
        // Nothing was published: the session never started.
        throw failures.initializeFailed(e, responses);
      }
      responses.forget();
      McpSchema.CallToolResult result;
      try {
        result = client.callTool(new McpSchema.CallToolRequest(tool, args(post, idempotencyKey)));
      } catch (McpError e) {
        throw new TerminalStepException(
            "MCP tool " + tool + " refused the call: " + e.getMessage(), e);
      } catch (RuntimeException e) {
        throw failures.callFailed(e, responses);
      }
      if (Boolean.TRUE.equals(result.isError())) {
        throw new TerminalStepException("MCP tool " + tool + " reported an error: " + text(result));
      }
      return receipt(result);
    } finally {
      client.closeGracefully();
    }
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
    return result.content() == null
        ? ""
        : result.content().stream()
            .filter(McpSchema.TextContent.class::isInstance)
            .map(c -> ((McpSchema.TextContent) c).text())
            .collect(Collectors.joining(" "));
  }
}
