package io.stepwise.pipelines.report;

import static io.stepwise.kit.inputs.InputFields.*;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.tasks.PipelineInput;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The research report's task input, read as strictly as the digest's: unknown fields, wrong types
 * and out-of-range values are rejected naming the field; missing fields take {@code
 * stepwise.pipelines.research-report.default-*}. {@code topic} is required (3–300 characters).
 */
@Singleton
@Named(ResearchReport.NAME)
public class ReportInputParser implements PipelineInput {

  static final int MIN_TOPIC = 3;
  static final int MAX_TOPIC = 300;
  static final int MAX_NOTE = 500;
  static final int MAX_MIN_CHARS = 50_000;
  private static final Set<String> FIELDS =
      Set.of("topic", "sections", "language", "minChars", "deliver", "note");
  private static final List<String> LANGUAGES = List.of("zh", "en");
  private static final List<String> TARGETS = List.of("none", "webhook");

  private final JsonMapper json;
  private final ReportConfig config;

  public ReportInputParser(JsonMapper json, ReportConfig config) {
    this.json = json;
    this.config = config;
  }

  @Override
  public JsonNode parse(JsonNode root, String path) {
    try {
      return json.writeValueToTree(read(root, path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ReportInput read(JsonNode root, String path) {
    requireObject(root, path);
    rejectUnknown(root, FIELDS, path);
    JsonNode deliver = objectOrEmpty(root.get("deliver"), path + "deliver");
    rejectUnknown(deliver, Set.of("target"), path + "deliver.");
    return new ReportInput(
        text(root.get("topic"), path + "topic", MIN_TOPIC, MAX_TOPIC),
        integer(root.get("sections"), path + "sections", 3, 6, config.defaultSections()),
        oneOf(root.get("language"), path + "language", LANGUAGES, config.defaultLanguage()),
        integer(
            root.get("minChars"), path + "minChars", 1, MAX_MIN_CHARS, config.defaultMinChars()),
        new ReportInput.Deliver(
            oneOf(
                deliver.get("target"), path + "deliver.target", TARGETS, config.defaultDeliver())),
        text(root.get("note"), path + "note", 0, MAX_NOTE));
  }

  @Override
  public Map<String, Object> schema() {
    Map<String, Object> schema =
        new HashMap<>(
            objectSchema(
                Map.of(
                    "topic",
                        Map.of(
                            "type",
                            "string",
                            "minLength",
                            MIN_TOPIC,
                            "maxLength",
                            MAX_TOPIC,
                            "description",
                            "what the report is about"),
                    "sections", integerSchema(3, 6, "how many sections the plan has"),
                    "language", oneOfSchema(LANGUAGES, "language of the report"),
                    "minChars", integerSchema(1, MAX_MIN_CHARS, "a shorter report is retried"),
                    "deliver",
                        objectSchema(
                            Map.of(
                                "target",
                                oneOfSchema(
                                    TARGETS, "where the report goes besides the blob store"))),
                    "note",
                        Map.of(
                            "type",
                            "string",
                            "maxLength",
                            MAX_NOTE,
                            "description",
                            "free text shown on the dashboard"))));
    schema.put("required", List.of("topic"));
    return schema;
  }

  /**
   * plan reads the topic and the number of sections; the report's language and minimum length are
   * first read by write_report (the plan and the section drafts are working material), so a
   * finished report can be rewritten in another language from write_report without paying for its
   * sections again.
   */
  @Override
  public Map<String, String> readBy() {
    Map<String, String> readers = new HashMap<>();
    readers.put("topic", ResearchReport.PLAN);
    readers.put("sections", ResearchReport.PLAN);
    readers.put("language", ResearchReport.WRITE_REPORT);
    readers.put("minChars", ResearchReport.WRITE_REPORT);
    readers.put("deliver", ResearchReport.DELIVER);
    readers.put("note", null);
    return readers;
  }
}
