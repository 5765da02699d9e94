package io.stepwise.pipelines.report.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepwise.pipelines.report.gather.Sources;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The delivered Markdown and HTML, and how the result splits a report into its sections. */
class ReportDocumentTest {

  private static final String REPORT =
      "# Agents\n\nIntro.\n\n## Planning\n\nAgents plan [1].\n\n```\n## not a heading\n```\n\n"
          + "## Tools\n\nTools help [2][3].\n";

  private static Sources.Source source(int n) {
    return new Sources.Source(
        n,
        "2411.1000" + n,
        "Paper *" + n + "*",
        List.of("A"),
        "abs",
        "https://arxiv.org/abs/2411.1000" + n,
        null);
  }

  @Test
  void sections_areTheLevelTwoHeadings_withTheirText_ignoringFencedCode() {
    assertThat(ReportDocument.sections(REPORT))
        .containsExactly(
            new ReportDocument.Section(
                "Planning", "Agents plan [1].\n\n```\n## not a heading\n```"),
            new ReportDocument.Section("Tools", "Tools help [2][3]."));
    assertThat(ReportDocument.title(REPORT, "fallback")).isEqualTo("Agents");
    assertThat(ReportDocument.title("no heading", "fallback")).isEqualTo("fallback");
  }

  @Test
  void theMarkdown_endsWithTheReferencesOfThePapersCited_inTheReportsLanguage() {
    String en = ReportDocument.markdown(REPORT, "en", List.of(source(1), source(2)));
    assertThat(en)
        .endsWith(
            "## References\n\n- [1] Paper \\*1\\* — <https://arxiv.org/abs/2411.10001>\n"
                + "- [2] Paper \\*2\\* — <https://arxiv.org/abs/2411.10002>\n");
    assertThat(ReportDocument.markdown(REPORT, "zh", List.of())).contains("## 参考文献");
  }

  @Test
  void theHtml_isAWholePage_withTheModelsRawHtmlEscapedAndUnsafeLinksDropped() {
    String html =
        ReportDocument.html(
            "# T <b>\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) and [y](https://example.org)\n",
            "T <b>",
            "en");
    assertThat(html)
        .startsWith("<!doctype html>")
        .contains("<html lang=\"en\">")
        .contains("<title>T &lt;b&gt;</title>")
        .contains("<meta charset=\"utf-8\">")
        .contains("&lt;script&gt;")
        .doesNotContain("<script>")
        .doesNotContain("javascript:")
        .contains("<a rel=\"nofollow\" href=\"\">x</a>")
        .contains("<a rel=\"nofollow\" href=\"https://example.org\">y</a>");
  }
}
