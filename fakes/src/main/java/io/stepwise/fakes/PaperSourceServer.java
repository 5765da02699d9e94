package io.stepwise.fakes;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Paper sources on one port: the arXiv API ({@code GET /api/query}, Atom 1.0 with the arXiv and
 * OpenSearch extensions) and Hugging Face daily papers ({@code GET
 * /api/daily_papers?date=YYYY-MM-DD}, JSON). Fixture dates are relative to today, and the arXiv
 * query honours {@code cat:}, {@code all:} and {@code submittedDate:[.. TO ..]} terms, {@code
 * start} and {@code max_results}, newest first.
 *
 * <p>Besides the hand-written fixture, the arXiv feed holds {@value #GENERATED} generated papers in
 * category {@code stat.ML} ({@link #GENERATED_CATEGORY}), so that tasks of up to 20 papers (and
 * benchmarks of more) run locally: ids {@code 2411.20001} onwards, stable; each published a quarter
 * of an hour before the previous one, starting at the last full hour, so all of them fall inside
 * any window of a day or more. The fixture's categories hold none of them, so what the other
 * queries return is unchanged.
 */
public final class PaperSourceServer extends LoopbackServer {

  private static final Pattern DAYS_AGO = Pattern.compile("\\{\\{DAYS_AGO:(\\d+)}}");
  private static final Pattern CATEGORY = Pattern.compile("cat:([A-Za-z.\\-]+)");
  private static final Pattern KEYWORD = Pattern.compile("all:(\"[^\"]+\"|[^\\s+()]+)");
  private static final Pattern DATES = Pattern.compile("submittedDate:\\[(\\d{12}) TO (\\d{12})]");
  private static final DateTimeFormatter ARXIV_DATE = DateTimeFormatter.ofPattern("yyyyMMddHHmm");

  /** How many generated papers the arXiv feed holds. */
  public static final int GENERATED = 60;

  /** Their category: ask for it to get up to {@link #GENERATED} papers. */
  public static final String GENERATED_CATEGORY = "stat.ML";

  private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private PaperSourceServer(int port) {
    super(port);
    route("/api/query", this::arxiv);
    route("/api/daily_papers", this::huggingFace);
    start();
  }

  public static PaperSourceServer start(int port) {
    return new PaperSourceServer(port);
  }

  /** Base URL of the arXiv API, as configured in Stepwise ({@code .../api/query}). */
  public String arxivUrl() {
    return baseUrl() + "/api/query";
  }

  public String huggingFaceUrl() {
    return baseUrl() + "/api/daily_papers";
  }

  /** Queues a fault for the next request to {@code /api/query} or {@code /api/daily_papers}. */
  public void failNext(String path, Fault fault) {
    faults.computeIfAbsent(path, p -> new ArrayDeque<>()).add(fault);
  }

  /** Request URIs (path and query) received, in order. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  public void reset() {
    faults.clear();
    requests.clear();
  }

  private boolean faulted(HttpExchange exchange, String path) throws IOException {
    requests.add(exchange.getRequestURI().toString());
    Deque<Fault> queue = faults.get(path);
    Fault fault = queue == null ? null : queue.poll();
    if (fault == null) {
      return false;
    }
    pause(fault.delayMillis());
    if (fault.hang() || !fault.answers()) {
      return fault.hang();
    }
    fault.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    send(exchange, fault.status(), "text/plain", fault.body().getBytes(StandardCharsets.UTF_8));
    return true;
  }

  private void arxiv(HttpExchange exchange) throws IOException {
    if (faulted(exchange, "/api/query")) {
      return;
    }
    Map<String, String> q = query(exchange);
    String search = q.getOrDefault("search_query", "");
    int start = Integer.parseInt(q.getOrDefault("start", "0"));
    int max = Integer.parseInt(q.getOrDefault("max_results", "10"));
    try {
      String fixture = relativeDates(resource("/fixtures/arxiv-feed.xml"));
      Document feed =
          parse(fixture.replace("</feed>", generatedEntries(Instant.now()) + "</feed>"));
      List<Element> entries = new ArrayList<>();
      NodeList nodes =
          feed.getDocumentElement().getElementsByTagNameNS("http://www.w3.org/2005/Atom", "entry");
      for (int i = 0; i < nodes.getLength(); i++) {
        entries.add((Element) nodes.item(i));
      }
      entries.forEach(e -> e.getParentNode().removeChild(e));
      List<Element> matching =
          entries.stream()
              .filter(e -> matches(e, search))
              .sorted(Comparator.comparing((Element e) -> text(e, "published")).reversed())
              .toList();
      List<Element> page =
          matching.subList(
              Math.min(start, matching.size()), Math.min(start + max, matching.size()));
      page.forEach(e -> feed.getDocumentElement().appendChild(e));
      String xml =
          serialize(feed)
              .replace("{{QUERY}}", search.replace("&", "&amp;").replace("<", "&lt;"))
              .replace("{{TOTAL}}", Integer.toString(matching.size()))
              .replace("{{START}}", Integer.toString(start))
              .replace("{{PER_PAGE}}", Integer.toString(page.size()));
      send(
          exchange,
          200,
          "application/atom+xml; charset=utf-8",
          xml.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      send(exchange, 500, "text/plain", ("fixture error: " + e).getBytes(StandardCharsets.UTF_8));
    }
  }

  private void huggingFace(HttpExchange exchange) throws IOException {
    if (faulted(exchange, "/api/daily_papers")) {
      return;
    }
    String date = query(exchange).get("date");
    var all = JSON.readTree(relativeDates(resource("/fixtures/hf-daily-papers.json")));
    var day = JSON.createArrayNode();
    for (var item : all) {
      String published = item.path("publishedAt").asText();
      if (date == null || published.startsWith(date)) {
        day.add(item);
      }
    }
    sendJson(exchange, 200, day);
  }

  /** The generated papers as Atom entries, newest first (see the class comment). */
  static String generatedEntries(Instant now) {
    Instant newest = now.truncatedTo(ChronoUnit.HOURS);
    StringBuilder xml = new StringBuilder();
    for (int i = 1; i <= GENERATED; i++) {
      String id = String.format(Locale.ROOT, "2411.%05d", 20000 + i);
      String when = newest.minus(15L * (i - 1), ChronoUnit.MINUTES).toString();
      xml.append("<entry><id>http://arxiv.org/abs/")
          .append(id)
          .append("v1</id>")
          .append("<updated>")
          .append(when)
          .append("</updated><published>")
          .append(when)
          .append("</published>")
          .append("<title>Generated Study ")
          .append(i)
          .append(" on Statistical Estimation</title>")
          .append("<summary>Generated paper ")
          .append(i)
          .append(" of the local paper source: an estimator with ")
          .append(i % 7 + 2)
          .append(" tuning parameters, evaluated on synthetic data.</summary>")
          .append("<author><name>Author ")
          .append(i)
          .append("</name></author>")
          .append("<link href=\"http://arxiv.org/abs/")
          .append(id)
          .append("v1\" rel=\"alternate\" type=\"text/html\"/>")
          .append("<link title=\"pdf\" href=\"http://arxiv.org/pdf/")
          .append(id)
          .append("v1\" rel=\"related\" type=\"application/pdf\"/>")
          .append("<arxiv:primary_category term=\"")
          .append(GENERATED_CATEGORY)
          .append("\" scheme=\"http://arxiv.org/schemas/atom\"/>")
          .append("<category term=\"")
          .append(GENERATED_CATEGORY)
          .append("\" scheme=\"http://arxiv.org/schemas/atom\"/>")
          .append("</entry>\n");
    }
    return xml.toString();
  }

  private static boolean matches(Element entry, String search) {
    String lower = search.toLowerCase(Locale.ROOT);
    List<String> categories = new ArrayList<>();
    NodeList cats = entry.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "category");
    for (int i = 0; i < cats.getLength(); i++) {
      categories.add(((Element) cats.item(i)).getAttribute("term").toLowerCase(Locale.ROOT));
    }
    Matcher cat = CATEGORY.matcher(lower);
    List<String> wanted = new ArrayList<>();
    while (cat.find()) {
      wanted.add(cat.group(1));
    }
    if (!wanted.isEmpty() && wanted.stream().noneMatch(categories::contains)) {
      return false;
    }
    String text = (text(entry, "title") + " " + text(entry, "summary")).toLowerCase(Locale.ROOT);
    Matcher kw = KEYWORD.matcher(lower);
    List<String> keywords = new ArrayList<>();
    while (kw.find()) {
      keywords.add(kw.group(1).replace("\"", ""));
    }
    if (!keywords.isEmpty() && keywords.stream().noneMatch(text::contains)) {
      return false;
    }
    Matcher dates = DATES.matcher(search);
    if (dates.find()) {
      Instant published = Instant.parse(text(entry, "published"));
      Instant from = LocalDateTime.parse(dates.group(1), ARXIV_DATE).toInstant(ZoneOffset.UTC);
      Instant to =
          LocalDateTime.parse(dates.group(2), ARXIV_DATE)
              .toInstant(ZoneOffset.UTC)
              .plus(59, ChronoUnit.SECONDS);
      return !published.isBefore(from) && !published.isAfter(to);
    }
    return true;
  }

  private static String text(Element entry, String name) {
    Node node = entry.getElementsByTagNameNS("http://www.w3.org/2005/Atom", name).item(0);
    return node == null ? "" : node.getTextContent().trim();
  }

  /**
   * {@code {{DAYS_AGO:n}}} → an ISO instant n days before now (at 06:00 UTC for n > 0, a minute ago
   * for 0).
   */
  static String relativeDates(String fixture) {
    Matcher m = DAYS_AGO.matcher(fixture);
    StringBuilder out = new StringBuilder();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    while (m.find()) {
      int days = Integer.parseInt(m.group(1));
      Instant when =
          days == 0
              ? now.minus(1, ChronoUnit.MINUTES)
              : LocalDate.now(ZoneOffset.UTC)
                  .minusDays(days)
                  .atTime(6, 0)
                  .toInstant(ZoneOffset.UTC);
      m.appendReplacement(out, when.toString());
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static String serialize(Document doc) throws Exception {
    var transformer = TransformerFactory.newInstance().newTransformer();
    transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
    StringWriter out = new StringWriter();
    transformer.transform(new DOMSource(doc), new StreamResult(out));
    return out.toString();
  }
}
