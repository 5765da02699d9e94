package io.stepwise.kit.papers;

import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.feed.synd.SyndLink;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.SyndFeedInput;
import io.stepwise.http.OutboundHttp;
import io.stepwise.model.Times;
import io.stepwise.steps.errors.TransientStepException;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.xml.sax.InputSource;

/**
 * The arXiv API: one query ({@code search_query} with categories, keywords and a submitted-date
 * window, sorted by submission date, newest first) answered with an Atom feed, read with ROME.
 */
@Singleton
public class ArxivSource implements PaperSource {

  private static final DateTimeFormatter ARXIV_DATE =
      DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);

  private final SourcesConfig config;
  private final OutboundHttp http;
  private final Clock clock;

  public ArxivSource(SourcesConfig config, Clock clock) {
    this.config = config;
    this.http = new OutboundHttp(config.timeout());
    this.clock = clock;
  }

  @Override
  public String name() {
    return "arxiv";
  }

  @Override
  public Result fetch(PaperQuery query, int max) {
    String search = searchQuery(query);
    URI uri =
        URI.create(
            config.arxivUrl()
                + "?search_query="
                + URLEncoder.encode(search, StandardCharsets.UTF_8)
                + "&sortBy=submittedDate&sortOrder=descending&start=0&max_results="
                + max);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(config.timeout())
            .header("Accept", "application/atom+xml")
            .GET()
            .build();
    byte[] body = http.send(request, "arXiv API", List.of()).body();
    return new Result(search, papers(body));
  }

  String searchQuery(PaperQuery query) {
    List<String> parts = new ArrayList<>();
    if (!query.categories().isEmpty()) {
      parts.add(
          query.categories().stream()
              .map(c -> "cat:" + c)
              .collect(Collectors.joining(" OR ", "(", ")")));
    }
    if (!query.keywords().isEmpty()) {
      parts.add(
          query.keywords().stream()
              .map(k -> "all:\"" + k.replace("\"", "") + "\"")
              .collect(Collectors.joining(" OR ", "(", ")")));
    }
    var now = clock.instant();
    parts.add(
        "submittedDate:["
            + ARXIV_DATE.format(now.minus(query.days(), ChronoUnit.DAYS))
            + " TO "
            + ARXIV_DATE.format(now)
            + "]");
    return String.join(" AND ", parts);
  }

  private static List<Paper> papers(byte[] atom) {
    SyndFeed feed;
    try {
      SyndFeedInput input = new SyndFeedInput();
      input.setAllowDoctypes(false);
      feed = input.build(new InputSource(new ByteArrayInputStream(atom)));
    } catch (FeedException | IllegalArgumentException e) {
      throw new TransientStepException(
          "arXiv API returned an unreadable feed: " + e.getMessage(), e);
    }
    List<Paper> papers = new ArrayList<>();
    for (SyndEntry entry : feed.getEntries()) {
      String id = Ids.arxivId(entry.getUri());
      String abs = entry.getLink() != null ? entry.getLink() : "https://arxiv.org/abs/" + id;
      String pdf =
          entry.getLinks().stream()
              .filter(l -> "pdf".equals(l.getTitle()) || "application/pdf".equals(l.getType()))
              .map(SyndLink::getHref)
              .findFirst()
              .orElse(null);
      papers.add(
          new Paper(
              id,
              Ids.clean(entry.getTitle()),
              entry.getAuthors().stream().map(a -> Ids.clean(a.getName())).toList(),
              Ids.clean(entry.getDescription() == null ? null : entry.getDescription().getValue()),
              new Paper.Links(abs, pdf),
              entry.getPublishedDate() == null
                  ? null
                  : Times.format(entry.getPublishedDate().toInstant()),
              entry.getCategories().stream().map(c -> c.getName()).toList(),
              "arxiv"));
    }
    return papers;
  }
}
