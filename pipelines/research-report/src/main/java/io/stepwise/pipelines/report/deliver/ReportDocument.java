package io.stepwise.pipelines.report.deliver;

import io.stepwise.pipelines.report.gather.Sources;
import java.util.ArrayList;
import java.util.List;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * The delivered report: the model's Markdown with a reference list of the papers it cites appended,
 * its title and {@code ##} sections as the result shows them, and its HTML (commonmark-java). The
 * HTML escapes any raw HTML the model wrote and drops unsafe link schemes: the page is served from
 * the API's own origin.
 */
public final class ReportDocument {

  private static final Parser PARSER = Parser.builder().build();
  private static final HtmlRenderer HTML =
      HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();

  private ReportDocument() {}

  /** One {@code ##} section of the report: its heading and its Markdown body. */
  public record Section(String heading, String text) {}

  /**
   * The Markdown delivered: the report, then its references (only the papers it cites, by number).
   */
  public static String markdown(String report, String language, List<Sources.Source> cited) {
    StringBuilder md =
        new StringBuilder(report.strip())
            .append("\n\n## ")
            .append("en".equals(language) ? "References" : "参考文献")
            .append("\n\n");
    for (Sources.Source s : cited) {
      md.append("- [")
          .append(s.n())
          .append("] ")
          .append(escape(s.title()))
          .append(" — <")
          .append(s.url())
          .append(">\n");
    }
    return md.toString();
  }

  /** A standalone UTF-8 HTML page of the Markdown. */
  public static String html(String markdown, String title, String language) {
    Node document = PARSER.parse(markdown);
    return "<!doctype html>\n<html lang=\""
        + ("en".equals(language) ? "en" : "zh")
        + "\">\n<head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>"
        + htmlEscape(title)
        + "</title></head>\n"
        + "<body>\n"
        + HTML.render(document)
        + "</body>\n</html>\n";
  }

  /** The first {@code #} heading, or {@code fallback}. */
  public static String title(String markdown, String fallback) {
    for (String line : markdown.split("\n")) {
      if (line.startsWith("# ")) {
        return line.substring(2).strip();
      }
    }
    return fallback;
  }

  /**
   * The {@code ##} sections in order, each with the text up to the next one (what precedes the
   * first is dropped).
   */
  public static List<Section> sections(String markdown) {
    List<Section> sections = new ArrayList<>();
    String heading = null;
    StringBuilder text = new StringBuilder();
    boolean fenced = false;
    for (String line : markdown.split("\n")) {
      if (line.startsWith("```")) {
        fenced = !fenced;
      }
      if (!fenced && line.startsWith("## ")) {
        if (heading != null) {
          sections.add(new Section(heading, text.toString().strip()));
        }
        heading = line.substring(3).strip();
        text.setLength(0);
      } else if (heading != null) {
        text.append(line).append('\n');
      }
    }
    if (heading != null) {
      sections.add(new Section(heading, text.toString().strip()));
    }
    return sections;
  }

  private static String escape(String markdownText) {
    return markdownText.replaceAll("([\\\\`*_\\[\\]<>#])", "\\\\$1");
  }

  private static String htmlEscape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
