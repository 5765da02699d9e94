package io.stepwise.kit.papers;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.http.OutboundHttp;
import io.stepwise.steps.errors.TransientStepException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hugging Face daily papers ({@code GET /api/daily_papers?date=YYYY-MM-DD}, JSON), one day at a
 * time from today back over the query's window. Keywords filter titles and abstracts; categories do
 * not apply to this source.
 */
@Singleton
public class HuggingFaceSource implements PaperSource {

  private final SourcesConfig config;
  private final OutboundHttp http;
  private final JsonMapper json;
  private final Clock clock;

  public HuggingFaceSource(SourcesConfig config, JsonMapper json, Clock clock) {
    this.config = config;
    this.http = new OutboundHttp(config.timeout());
    this.json = json;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "hf_daily";
  }

  @Override
  public Result fetch(PaperQuery query, int max) {
    List<Paper> papers = new ArrayList<>();
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    for (int back = 0; back < query.days() && papers.size() < max; back++) {
      LocalDate day = today.minusDays(back);
      URI uri = URI.create(config.huggingFaceUrl() + "?date=" + day);
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(config.timeout())
              .header("Accept", "application/json")
              .GET()
              .build();
      for (JsonNode item :
          read(http.send(request, "Hugging Face daily papers", List.of()).body()).values()) {
        Paper paper = paper(item.get("paper") == null ? item : item.get("paper"));
        if (matches(paper, query.keywords())) {
          papers.add(paper);
        }
      }
    }
    return new Result(
        "daily papers, last "
            + query.days()
            + " days"
            + (query.keywords().isEmpty() ? "" : ", keywords " + query.keywords()),
        papers.subList(0, Math.min(max, papers.size())));
  }

  private JsonNode read(byte[] body) {
    try {
      JsonNode node = json.readValue(body, JsonNode.class);
      if (!node.isArray()) {
        throw new TransientStepException("Hugging Face daily papers did not return a JSON array");
      }
      return node;
    } catch (IOException e) {
      throw new TransientStepException("Hugging Face daily papers returned unreadable JSON", e);
    }
  }

  private static Paper paper(JsonNode p) {
    String id = Ids.arxivId(text(p, "id"));
    List<String> authors = new ArrayList<>();
    JsonNode list = p.get("authors");
    if (list != null && list.isArray()) {
      list.values().forEach(a -> authors.add(Ids.clean(text(a, "name"))));
    }
    return new Paper(
        id,
        Ids.clean(text(p, "title")),
        authors,
        Ids.clean(text(p, "summary")),
        new Paper.Links("https://arxiv.org/abs/" + id, "https://arxiv.org/pdf/" + id),
        text(p, "publishedAt"),
        List.of(),
        "hf_daily");
  }

  private static boolean matches(Paper paper, List<String> keywords) {
    String text = (paper.title() + " " + paper.abstractText()).toLowerCase(Locale.ROOT);
    return keywords.isEmpty()
        || keywords.stream().anyMatch(k -> text.contains(k.toLowerCase(Locale.ROOT)));
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? "" : v.coerceStringValue();
  }
}
