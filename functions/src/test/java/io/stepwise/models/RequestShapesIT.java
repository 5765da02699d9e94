package io.stepwise.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.fakes.ModelServer;
import io.stepwise.fakes.RequestShapeRules.Family;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.testing.LocalServicesBase;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-model request options (issue 18, item 2), each shape sent to the local protocol server, which
 * refuses with the real APIs' 400 bodies what those APIs refuse for the model's family: an OpenAI
 * reasoning model sent the default shape (system message, max_tokens, temperature) fails terminally
 * naming the refused parameter; with the {@code openai-reasoning} preset it answers. A current
 * Anthropic model sent temperature and top_p fails; with {@code anthropic-current} and {@code
 * temperature: false} it answers. {@code system-role: none} folds the system prompt into the user
 * message; extra body fields are sent as configured.
 */
@MicronautTest(environments = "test")
class RequestShapesIT extends LocalServicesBase {

  private static final ChatRequest CHAT =
      new ChatRequest(
          "You write posts.",
          List.of(new ChatRequest.Message("user", "Title: A paper\nSummarise it.")),
          300,
          0.3);

  @Inject ModelCatalog catalog;
  @Inject ModelGateway gateway;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = super.getProperties();
    model(p, "o3-default", "openai-compatible", "fake-o3");
    model(p, "o3", "openai-compatible", "fake-o3");
    p.put("stepwise.models.o3.request.preset", "openai-reasoning");
    p.put("stepwise.models.o3.request.extra-body.reasoning_effort", "low");
    model(p, "o1-folded", "openai-compatible", "fake-o1-mini");
    p.put("stepwise.models.o1-folded.request.preset", "openai-reasoning");
    p.put("stepwise.models.o1-folded.request.system-role", "none");
    model(p, "claude-both", "anthropic", "fake-claude-new");
    p.put("stepwise.models.claude-both.request.top-p", "0.9");
    model(p, "claude-current", "anthropic", "fake-claude-new");
    p.put("stepwise.models.claude-current.request.preset", "anthropic-current");
    p.put("stepwise.models.claude-current.request.temperature", "false");
    p.put("stepwise.models.claude-current.request.top-p", "0.9");
    return p;
  }

  private void model(Map<String, String> p, String name, String provider, String id) {
    p.put("stepwise.models." + name + ".provider", provider);
    p.put("stepwise.models." + name + ".base-url", models.apiBase());
    p.put("stepwise.models." + name + ".model", id);
  }

  @BeforeEach
  void families() {
    models.family("fake-o3", Family.OPENAI_REASONING);
    models.family("fake-o1-mini", Family.OPENAI_REASONING);
    models.family("fake-claude-new", Family.ANTHROPIC_CURRENT);
  }

  private ChatResult chat(String name) {
    return gateway.chat(catalog.find(name).orElseThrow(), CHAT, "t-shapes", "analyze");
  }

  private JsonNode lastBody() {
    List<ModelServer.Call> calls = models.calls();
    return calls.get(calls.size() - 1).body();
  }

  @Test
  void aReasoningModelSentTheDefaultShape_isRefusedTerminally_namingMaxTokens() {
    assertThatThrownBy(() -> chat("o3-default"))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining("400")
        .hasMessageContaining("'max_tokens' is not supported with this model");
    assertThat(lastBody().has("max_tokens")).isTrue();
  }

  @Test
  void theOpenAiReasoningPreset_sendsDeveloperAndMaxCompletionTokens_withoutTemperature() {
    assertThat(chat("o3").content()).isNotBlank();
    JsonNode body = lastBody();
    assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("developer");
    assertThat(body.path("messages").get(0).path("content").asText()).isEqualTo("You write posts.");
    assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(300);
    assertThat(body.has("max_tokens")).isFalse();
    assertThat(body.has("temperature")).isFalse();
    assertThat(body.has("top_p")).isFalse();
    assertThat(body.path("reasoning_effort").asText()).as("extra body field").isEqualTo("low");
  }

  @Test
  void systemRoleNone_foldsTheSystemPromptIntoTheFirstUserMessage() {
    assertThat(chat("o1-folded").content()).isNotBlank();
    JsonNode messages = lastBody().path("messages");
    assertThat(messages).hasSize(1);
    assertThat(messages.get(0).path("role").asText()).isEqualTo("user");
    assertThat(messages.get(0).path("content").asText())
        .startsWith("You write posts.\n\nTitle: A paper");
  }

  @Test
  void aCurrentClaudeSentTemperatureAndTopP_isRefused_andTheAnthropicCurrentPresetSendsOnlyTopP() {
    assertThatThrownBy(() -> chat("claude-both"))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining("`temperature` and `top_p` cannot both be specified for this model");

    assertThat(chat("claude-current").content()).isNotBlank();
    JsonNode body = lastBody();
    assertThat(body.has("temperature")).isFalse();
    assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
    assertThat(body.path("system").asText()).isEqualTo("You write posts.");
    assertThat(body.path("max_tokens").asInt()).isEqualTo(300);
  }

  @Test
  void aChatModel_stillGetsTheDefaultShape() {
    assertThat(chat("primary").content()).isNotBlank();
    JsonNode body = lastBody();
    assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("system");
    assertThat(body.path("max_tokens").asInt()).isEqualTo(300);
    assertThat(body.path("temperature").asDouble()).isEqualTo(0.3);
  }
}
