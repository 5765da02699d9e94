package io.stepwise.kit.publish;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.http.KnownSecrets;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.steps.errors.TransientStepException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.Optional;

/**
 * What a failed MCP exchange means, per the streamable-HTTP transport, read from the HTTP answer
 * ({@link McpResponses}) rather than the SDK's exception, and said in our words: the server's own
 * message (masked of every known secret) and the credentials' description, never JDK internals.
 */
final class McpFailures {

  /** The tools/call was answered 404: its session expired, so a new one may send the call again. */
  static final class SessionGone extends RuntimeException {
    SessionGone() {
      super(null, null, false, false);
    }
  }

  private final URI url;
  private final String tool;
  private final McpAuthorization auth;
  private final JsonMapper json;
  private final KnownSecrets known;

  McpFailures(URI url, String tool, McpAuthorization auth, JsonMapper json, KnownSecrets known) {
    this.url = url;
    this.tool = tool;
    this.auth = auth;
    this.json = json;
    this.known = known;
  }

  RuntimeException initializeFailed(RuntimeException e, McpResponses responses) {
    Optional<McpResponses.Answer> answer = responses.last();
    if (answer.isPresent() && answer.get().status() >= 400) {
      int status = answer.get().status();
      RuntimeException refused = refusal(answer.get(), "initialize", e);
      if (refused != null) {
        return refused;
      }
      if (status == 404) {
        return new TerminalStepException(
            "MCP server at "
                + url
                + " has no MCP endpoint there (HTTP 404 to initialize): check stepwise.publish.mcp.url",
            e);
      }
      return new TransientStepException(
          "MCP server at "
              + url
              + " answered initialize with HTTP "
              + status
              + "; nothing was published",
          e);
    }
    return new TransientStepException(
        "MCP server at " + url + " could not be reached: " + rootMessage(e), e);
  }

  /** 400, 401 and 403, in our words with the server's; null for any other status. */
  private RuntimeException refusal(McpResponses.Answer answer, String call, RuntimeException e) {
    int status = answer.status();
    if (status == 401 || status == 403) {
      auth.refused();
      String challenge =
          answer
              .headers()
              .firstValue("WWW-Authenticate")
              .map(c -> " (WWW-Authenticate: " + c + ")")
              .orElse("");
      return new TerminalStepException(
          "MCP server at "
              + url
              + (status == 401 ? " wants authorisation" : " does not allow this client")
              + ": HTTP "
              + status
              + " to "
              + call
              + challenge
              + "; sent "
              + auth.describe(),
          e);
    }
    if (status == 400) {
      return new TerminalStepException(
          "MCP server at "
              + url
              + " refused "
              + call
              + " as a bad request (HTTP 400): "
              + known.redact(serverMessage(answer.errorBody())),
          e);
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
    } catch (IOException | RuntimeException notJson) {
      // the body as text, then
    }
    text = text.replaceAll("\\s+", " ");
    return text.isEmpty()
        ? "(no message)"
        : text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }

  /**
   * What a failed tools/call means, from the HTTP answer when one came (the SDK reports 400 and 404
   * alike as a missing session): 404 → the session is gone; 400/401/403 → refused; other HTTP
   * errors → nothing was published. Connection refused: nothing was sent. A timeout, or no answer:
   * the outcome is unknown.
   */
  RuntimeException callFailed(RuntimeException e, McpResponses responses) {
    Optional<McpResponses.Answer> answer = responses.last().filter(a -> a.status() >= 400);
    if (answer.isPresent()) {
      if (answer.get().status() == 404) {
        return new SessionGone();
      }
      RuntimeException refused = refusal(answer.get(), "tools/call", e);
      return refused != null
          ? refused
          : new TransientStepException(
              "MCP server at "
                  + url
                  + " answered tools/call with HTTP "
                  + answer.get().status()
                  + "; nothing was published",
              e);
    }
    if (hasCause(e, ConnectException.class)) {
      return new TransientStepException(
          "MCP server at " + url + " went away before the call was sent: " + rootMessage(e), e);
    }
    return new PublishOutcomeUnknownException(
        "MCP tool " + tool + " was called but gave no answer: " + rootMessage(e), e);
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
    return root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }
}
