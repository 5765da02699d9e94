package io.stepwise.pipelines.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.tasks.InvalidInputException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The report's task input: required topic, ranges, enums and defaults, each refusal naming its
 * field.
 */
class ReportInputParserTest {

  private static final JsonMapper JSON = JsonMapper.createDefault();
  private static final ReportConfig CONFIG = new ReportConfig(4, 3, 30, 4, "zh", 2000, "none");
  private final ReportInputParser parser = new ReportInputParser(JSON, CONFIG);

  private ReportInput read(String body) throws IOException {
    return parser.read(JSON.readValue(body, JsonNode.class), "");
  }

  @Test
  void onlyATopic_takesTheConfiguredDefaults() throws IOException {
    ReportInput input = read("{\"topic\":\"  LLM agents  \"}");
    assertThat(input)
        .isEqualTo(
            new ReportInput("LLM agents", 4, "zh", 2000, new ReportInput.Deliver("none"), null));
  }

  @Test
  void everyField_isRead() throws IOException {
    ReportInput input =
        read(
            "{\"topic\":\"RAG\",\"sections\":6,\"language\":\"en\",\"minChars\":500,"
                + "\"deliver\":{\"target\":\"webhook\"},\"note\":\"for the team\"}");
    assertThat(input)
        .isEqualTo(
            new ReportInput(
                "RAG", 6, "en", 500, new ReportInput.Deliver("webhook"), "for the team"));
  }

  @Test
  void topicOfThreeAndOfThreeHundredCharacters_areAccepted_countedInCodePoints()
      throws IOException {
    assertThat(read("{\"topic\":\"多智能\"}").topic()).isEqualTo("多智能");
    assertThat(read("{\"topic\":\"" + "😀".repeat(300) + "\"}").topic()).hasSize(600);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{}|'topic' is required",
        "{\"topic\":null}|'topic' is required",
        "{\"topic\":\"ab\"}|'topic' must be from 3 to 300 characters",
        "{\"topic\":\"   ab   \"}|'topic' must be from 3 to 300 characters",
        "{\"topic\":42}|'topic' must be a string",
        "{\"topic\":\"ok topic\",\"sections\":2}|'sections' must be an integer from 3 to 6",
        "{\"topic\":\"ok topic\",\"sections\":7}|'sections' must be an integer from 3 to 6",
        "{\"topic\":\"ok topic\",\"sections\":4.5}|'sections' must be an integer from 3 to 6",
        "{\"topic\":\"ok topic\",\"language\":\"fr\"}|'language' must be one of zh, en",
        "{\"topic\":\"ok topic\",\"minChars\":0}|'minChars' must be an integer from 1 to 50000",
        "{\"topic\":\"ok topic\",\"deliver\":{\"target\":\"mcp\"}}|'deliver.target' must be one of none, webhook",
        "{\"topic\":\"ok topic\",\"deliver\":\"webhook\"}|'deliver' must be an object",
        "{\"topic\":\"ok topic\",\"deliver\":{\"url\":\"x\"}}|unknown field 'deliver.url'; allowed: target",
        "{\"topic\":\"ok topic\",\"maxPapers\":3}|unknown field 'maxPapers'; allowed: deliver, language, minChars, note, sections, topic",
      })
  void badInput_isRefusedNamingTheField(String body, String message) {
    assertThatThrownBy(() -> read(body))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(message);
  }

  @Test
  void aTopicOf301Characters_andANoteOf501_areRefused() {
    assertThatThrownBy(() -> read("{\"topic\":\"" + "x".repeat(301) + "\"}"))
        .hasMessage("'topic' must be from 3 to 300 characters");
    assertThatThrownBy(() -> read("{\"topic\":\"fine\",\"note\":\"" + "n".repeat(501) + "\"}"))
        .hasMessage("'note' must be at most 500 characters");
  }

  @Test
  void theBodyOfABatchEntry_isNamedByItsPath() {
    assertThatThrownBy(
            () -> parser.read(JSON.readValue("{\"topic\":\"x\"}", JsonNode.class), "tasks[2]."))
        .hasMessage("'tasks[2].topic' must be from 3 to 300 characters");
    assertThatThrownBy(() -> parser.read(JSON.readValue("[]", JsonNode.class), "tasks[2]."))
        .hasMessage("'tasks[2]' must be a JSON object");
  }

  @Test
  void languageAndMinChars_areFirstReadByWriteReport_soARerunFromThereMayChangeThem() {
    assertThat(parser.readBy())
        .containsEntry("topic", "plan")
        .containsEntry("sections", "plan")
        .containsEntry("language", "write_report")
        .containsEntry("minChars", "write_report")
        .containsEntry("deliver", "deliver")
        .containsEntry("note", null);
    assertThat(parser.schema()).containsEntry("required", List.of("topic"));
  }
}
