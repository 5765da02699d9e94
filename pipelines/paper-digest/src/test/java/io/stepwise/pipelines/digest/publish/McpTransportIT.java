package io.stepwise.pipelines.digest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.fakes.McpServer;
import io.stepwise.fakes.SecretsManagerServer;
import io.stepwise.http.KnownSecrets;
import io.stepwise.kit.publish.McpAuthorization;
import io.stepwise.kit.publish.McpPublisher;
import io.stepwise.kit.publish.PostPayload;
import io.stepwise.kit.publish.Publisher;
import io.stepwise.models.SecretsManagerApiKeys;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.steps.errors.TransientStepException;
import io.stepwise.testing.DigestServicesBase;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The MCP publisher per the streamable-HTTP transport (issue 18, item 3), against {@link
 * McpServer}: a 404 to tools/call starts a new session and sends once more under the same
 * idempotency key; a 400 is terminal with the server's message; 401 and 403 are terminal naming the
 * credentials; a bearer token comes from the environment or Secrets Manager, or from an OAuth 2.1
 * client-credentials grant. No message carries JDK internals.
 */
@MicronautTest(environments = "test")
class McpTransportIT extends DigestServicesBase {

  private static final String TOKEN_VARIABLE = "STEPWISE_TEST_MCP_TOKEN";
  private static final String CLIENT_SECRET_VARIABLE = "STEPWISE_TEST_MCP_CLIENT_SECRET";
  private static final PostPayload POST =
      new PostPayload("p1", "A title", "A body", List.of(), List.of("ai"));

  final SecretsManagerServer vault = SecretsManagerServer.start(0);

  @Inject JsonMapper json;
  @Inject SecretsManagerApiKeys secrets;
  @Inject KnownSecrets known;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = super.getProperties();
    p.put("aws.services.secretsmanager.endpoint-override", vault.baseUrl().toString());
    return p;
  }

  @AfterAll
  void stopVault() {
    vault.close();
    System.clearProperty(TOKEN_VARIABLE);
    System.clearProperty(CLIENT_SECRET_VARIABLE);
  }

  private McpPublisher publisher(McpAuthorization auth) {
    return new McpPublisher(
        URI.create(mcp.endpoint()),
        "publish_content",
        "title",
        "content",
        "images",
        "tags",
        McpServer.IDEMPOTENCY_ARGUMENT,
        Duration.ofSeconds(2),
        auth,
        json,
        known);
  }

  private McpAuthorization auth(
      String tokenEnv, String tokenSecret, String tokenUrl, String clientSecretEnv) {
    return new McpAuthorization(
        tokenEnv,
        tokenSecret,
        tokenUrl,
        tokenUrl == null ? null : "stepwise-test",
        clientSecretEnv,
        null,
        tokenUrl == null ? null : "publish",
        secrets,
        json,
        Clock.systemUTC());
  }

  private McpPublisher anonymous() {
    return publisher(auth(null, null, null, null));
  }

  @Test
  void aSessionThatExpired_404_getsANewSessionAndOneResendUnderTheSameKey() {
    mcp.failNextCall(new McpServer.CallFault(false, 404, 0, false));

    Publisher.Receipt receipt = anonymous().publish(POST, "task-1:p1");

    assertThat(receipt.externalId()).isEqualTo("note-1");
    assertThat(mcp.calls()).hasSize(1);
    assertThat(mcp.calls().get(0).arguments().path(McpServer.IDEMPOTENCY_ARGUMENT).asText())
        .isEqualTo("task-1:p1");
  }

  @Test
  void a404AgainInTheNewSession_isTransient_nothingPublished() {
    mcp.failNextCall(new McpServer.CallFault(false, 404, 0, false));
    mcp.failNextCall(new McpServer.CallFault(false, 404, 0, false));

    assertThatThrownBy(() -> anonymous().publish(POST, "task-2:p1"))
        .isInstanceOf(TransientStepException.class)
        .hasMessageContaining("lost the session twice")
        .hasMessageContaining("nothing was published");
    assertThat(mcp.calls()).isEmpty();
  }

  @Test
  void a400_isTerminal_withTheServersMessage() {
    mcp.failNextCall(new McpServer.CallFault(false, 400, 0, false, "images must be https URLs"));

    assertThatThrownBy(() -> anonymous().publish(POST, "task-3:p1"))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining(
            "refused tools/call as a bad request (HTTP 400): images must be https URLs")
        .hasMessageNotContaining("may already")
        .hasMessageNotContaining("jdk.internal");
  }

  @Test
  void a401OnInitialize_isTerminal_namingTheAuthProblem_notUnreachable() {
    mcp.requireBearer("mcp-test-token-static");

    assertThatThrownBy(() -> anonymous().publish(POST, "task-4:p1"))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining("wants authorisation: HTTP 401 to initialize")
        .hasMessageContaining("WWW-Authenticate: Bearer error=\"invalid_token\"")
        .hasMessageContaining("set stepwise.publish.mcp.auth.bearer-token-env")
        .hasMessageNotContaining("could not be reached")
        .hasMessageNotContaining("jdk.internal");
  }

  @Test
  void aBearerTokenFromTheEnvironment_isSent_andA403NamesTheToken() {
    mcp.requireBearer("mcp-test-token-static");
    System.setProperty(TOKEN_VARIABLE, "mcp-test-token-static");

    assertThat(
            publisher(auth(TOKEN_VARIABLE, null, null, null))
                .publish(POST, "task-5:p1")
                .externalId())
        .isEqualTo("note-1");

    mcp.forbid();
    assertThatThrownBy(
            () -> publisher(auth(TOKEN_VARIABLE, null, null, null)).publish(POST, "task-5:p2"))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining("does not allow this client: HTTP 403")
        .hasMessageContaining("the bearer token in " + TOKEN_VARIABLE)
        .hasMessageNotContaining("mcp-test-token-static");
  }

  @Test
  void aBearerTokenFromSecretsManager_isSent() {
    mcp.requireBearer("mcp-test-token-vaulted");
    vault.put("stepwise/mcp-token", "mcp-test-token-vaulted");

    assertThat(
            publisher(auth(null, "stepwise/mcp-token", null, null))
                .publish(POST, "task-6:p1")
                .externalId())
        .isEqualTo("note-1");
  }

  @Test
  void oauthClientCredentials_getATokenFromTheTokenEndpoint_reusedUntilItExpires() {
    mcp.oauthClient("stepwise-test", "client-test-secret");
    System.setProperty(CLIENT_SECRET_VARIABLE, "client-test-secret");
    McpPublisher publisher =
        publisher(auth(null, null, mcp.tokenEndpoint(), CLIENT_SECRET_VARIABLE));

    assertThat(publisher.publish(POST, "task-7:p1").externalId()).isEqualTo("note-1");
    assertThat(publisher.publish(POST, "task-7:p2").externalId()).isEqualTo("note-2");
    assertThat(mcp.tokenRequests())
        .as("one token for both publishes")
        .containsExactly("stepwise-test");
  }

  @Test
  void oauthClientCredentialsThatTheTokenEndpointRefuses_areTerminal_namingTheClient() {
    mcp.oauthClient("stepwise-test", "client-test-secret");
    System.setProperty(CLIENT_SECRET_VARIABLE, "client-test-wrong");

    assertThatThrownBy(
            () ->
                publisher(auth(null, null, mcp.tokenEndpoint(), CLIENT_SECRET_VARIABLE))
                    .publish(POST, "task-8:p1"))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining("refused client stepwise-test (HTTP 401, invalid_client)")
        .hasMessageNotContaining("client-test-wrong");
    assertThat(mcp.calls()).isEmpty();
  }
}
