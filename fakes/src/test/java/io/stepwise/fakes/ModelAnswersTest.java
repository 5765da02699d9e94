package io.stepwise.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The model server answers with the first {@link ModelAnswers} that recognises the conversation (in
 * both protocols, the system prompt folded into the first user message or not), a placeholder when
 * none does, and its behaviours still apply on top: a repeated key, a finish reason chosen for
 * prompts containing a text.
 */
class ModelAnswersTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /**
   * Answers prompts that ask to shout, with the prompt in capitals; JSON when the instructions ask
   * for it.
   */
  public static final class Shouting implements ModelAnswers {
    @Override
    public Optional<String> answer(Conversation conversation) {
      if (!conversation.instructions().contains("Shout")) {
        return Optional.empty();
      }
      String prompt = conversation.prompt();
      String loud =
          (conversation.system().isBlank() ? prompt.substring(prompt.indexOf("\n\n") + 2) : prompt)
              .strip()
              .toUpperCase();
      return Optional.of(
          conversation.instructions().contains("JSON")
              ? "```json\n{\"said\":\""
                  + loud
                  + "\",\"words\":[\""
                  + loud.split(" ")[0]
                  + "\"],\"tags\":[\"loud\"]}\n```"
              : loud);
    }
  }

  private static JsonNode chat(ModelServer server, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return JSON.readTree(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  private static String openAi(ModelServer server, String system, String user) throws Exception {
    String messages =
        (system == null
                ? ""
                : "{\"role\":\"system\",\"content\":" + JSON.writeValueAsString(system) + "},")
            + "{\"role\":\"user\",\"content\":"
            + JSON.writeValueAsString(user)
            + "}";
    return chat(
            server,
            "/v1/chat/completions",
            "{\"model\":\"m\",\"messages\":[" + messages + "]}",
            "Authorization",
            "Bearer sk-test-key-0001")
        .path("choices")
        .get(0)
        .path("message")
        .path("content")
        .asText();
  }

  @Test
  void
      theFirstAnswersThatRecogniseThePrompt_answerIt_inBothProtocols_andAnyOtherPromptGetsAPlaceholder()
          throws Exception {
    try (ModelServer server = ModelServer.start(0, List.of(new Shouting()))) {
      assertThat(openAi(server, "Shout it.", "hello there")).isEqualTo("HELLO THERE");
      assertThat(openAi(server, null, "Shout it.\n\nhello there"))
          .as("system prompt folded into the user message")
          .isEqualTo("HELLO THERE");
      JsonNode anthropic =
          chat(
              server,
              "/v1/messages",
              "{\"model\":\"m\",\"max_tokens\":100,\"system\":\"Shout it.\",\"messages\":[{\"role\":\"user\",\"content\":\"quietly\"}]}",
              "anthropic-version",
              "2023-06-01",
              "x-api-key",
              "sk-test-key-0001");
      assertThat(anthropic.path("content").get(0).path("text").asText()).isEqualTo("QUIETLY");
      assertThat(openAi(server, "Whisper it.", "hello there"))
          .startsWith("This is the local model server.")
          .contains("\"hello there\"");
    }
  }

  @Test
  void theBehavioursApplyOnTopOfTheAnswers() throws Exception {
    try (ModelServer server = ModelServer.start(0, List.of(new Shouting()))) {
      server.behave("m", ModelBehaviour.echoingKey());
      JsonNode said =
          JSON.readTree(
              openAi(server, "Shout it as JSON.", "hello there")
                  .replaceAll("^```json\\s*|\\s*```$", ""));
      assertThat(said.path("said").asText())
          .isEqualTo(
              "HELLO THERE Answered for key sk-test-key-0001 (sk-test-key-0001), token=sk-test-key-0001;");
      assertThat(said.path("words").toString())
          .contains("Authenticated as Bearer sk-test-key-0001");
      assertThat(said.path("tags").get(1).asText())
          .as("sent as \\u002d escapes, read back as the key")
          .isEqualTo("sk-test-key-0001");
      assertThat(openAi(server, "Shout it.", "plain"))
          .startsWith("PLAIN")
          .contains("token=sk-test-key-0001;");

      server.behave("m", ModelBehaviour.healthy());
      server.finishPromptsContaining("Shout", "length");
      JsonNode cut =
          chat(
              server,
              "/v1/chat/completions",
              "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"Shout it.\"},{\"role\":\"user\",\"content\":\"abcdefgh\"}]}");
      assertThat(cut.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
      assertThat(cut.path("choices").get(0).path("message").path("content").asText())
          .isEqualTo("ABCD");
    }
  }

  @Test
  void theAnswersOnTheClassPath_areFoundWithServiceLoader() throws Exception {
    try (ModelServer server = ModelServer.start(0)) {
      assertThat(server.answers()).hasAtLeastOneElementOfType(Shouting.class);
      assertThat(openAi(server, "Shout it.", "found")).isEqualTo("FOUND");
    }
  }
}
