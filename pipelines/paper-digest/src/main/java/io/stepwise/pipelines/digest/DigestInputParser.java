package io.stepwise.pipelines.digest;

import static io.stepwise.kit.inputs.InputFields.*;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.kit.papers.PaperQuery;
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
 * The paper digest's task input, read strictly: unknown fields, wrong types and out-of-range values
 * are rejected with a message naming the field, so a typo never silently runs a task with defaults.
 * Missing fields take the configured defaults ({@code stepwise.pipelines.paper-digest.defaults}).
 */
@Singleton
@Named(PaperDigest.NAME)
public class DigestInputParser implements PipelineInput {

  static final int MAX_NOTE = 500;
  private static final Set<String> FIELDS =
      Set.of("source", "query", "maxPapers", "language", "publish", "note");
  private static final Set<String> QUERY_FIELDS = Set.of("categories", "keywords", "days");
  private static final List<String> SOURCES = List.of("arxiv", "hf_daily");
  private static final List<String> LANGUAGES = List.of("zh", "en");
  private static final List<String> TARGETS = List.of("mcp", "webhook", "none");

  private final JsonMapper json;
  private final DigestDefaults defaults;

  public DigestInputParser(JsonMapper json, DigestDefaults defaults) {
    this.json = json;
    this.defaults = defaults;
  }

  @Override
  public JsonNode parse(JsonNode root, String path) {
    try {
      return json.writeValueToTree(read(root, path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses one task object; {@code path} prefixes field names in messages (e.g. {@code tasks[3].}).
   */
  DigestInput read(JsonNode root, String path) {
    requireObject(root, path);
    rejectUnknown(root, FIELDS, path);
    JsonNode query = objectOrEmpty(root.get("query"), path + "query");
    rejectUnknown(query, QUERY_FIELDS, path + "query.");
    JsonNode publish = objectOrEmpty(root.get("publish"), path + "publish");
    rejectUnknown(publish, Set.of("target"), path + "publish.");
    return new DigestInput(
        oneOf(root.get("source"), path + "source", SOURCES, defaults.source()),
        new PaperQuery(
            strings(
                query.get("categories"), path + "query.categories", 10, 40, defaults.categories()),
            strings(query.get("keywords"), path + "query.keywords", 10, 100, defaults.keywords()),
            integer(query.get("days"), path + "query.days", 1, 30, defaults.days())),
        integer(root.get("maxPapers"), path + "maxPapers", 1, 20, defaults.maxPapers()),
        oneOf(root.get("language"), path + "language", LANGUAGES, defaults.language()),
        new DigestInput.Publish(
            oneOf(
                publish.get("target"), path + "publish.target", TARGETS, defaults.publishTarget())),
        text(root.get("note"), path + "note", 0, MAX_NOTE));
  }

  @Override
  public Map<String, Object> schema() {
    Map<String, Object> query =
        objectSchema(
            Map.of(
                "categories", stringsSchema(10, 40, "arXiv categories, e.g. cs.AI"),
                "keywords", stringsSchema(10, 100, "words a paper must mention"),
                "days", integerSchema(1, 30, "how many days back")));
    Map<String, Object> publish =
        objectSchema(Map.of("target", oneOfSchema(TARGETS, "where the posts go")));
    return objectSchema(
        Map.of(
            "source", oneOfSchema(SOURCES, "the paper source"),
            "query", query,
            "maxPapers", integerSchema(1, 20, "papers to analyse"),
            "language", oneOfSchema(LANGUAGES, "language of the posts"),
            "publish", publish,
            "note",
                Map.of(
                    "type",
                    "string",
                    "maxLength",
                    MAX_NOTE,
                    "description",
                    "free text shown on the dashboard")));
  }

  /**
   * fetch_papers reads the source, query and count; analyze the language; publish the target;
   * nobody the note.
   */
  @Override
  public Map<String, String> readBy() {
    Map<String, String> readers = new HashMap<>();
    readers.put("source", PaperDigest.FETCH_PAPERS);
    readers.put("query", PaperDigest.FETCH_PAPERS);
    readers.put("maxPapers", PaperDigest.FETCH_PAPERS);
    readers.put("language", PaperDigest.ANALYZE);
    readers.put("publish", PaperDigest.PUBLISH);
    readers.put("note", null);
    return readers;
  }
}
