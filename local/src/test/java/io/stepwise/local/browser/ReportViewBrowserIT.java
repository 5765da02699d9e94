package io.stepwise.local.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.stepwise.local.LocalApi;
import io.stepwise.local.LocalRuntime;
import io.stepwise.local.Options;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The task view of a research report in real headless Chromium: the report's title, its sections
 * with their citations as links, and links to the Markdown and HTML the API serves. Screenshot in
 * {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportViewBrowserIT {

  private LocalRuntime runtime;
  private Browser browser;

  @BeforeAll
  void start() {
    PlaywrightAssertions.setDefaultAssertionTimeout(60_000);
    runtime = LocalRuntime.start(Options.ephemeral(0.001));
    browser = new Browser();
  }

  @AfterAll
  void stop() {
    browser.close();
    runtime.close();
  }

  @Test
  void aReportTasksView_showsTheTitleSectionsCitationsAndLinksToItsFiles() throws Exception {
    String id =
        LocalApi.send(
                runtime.api(),
                "POST",
                "/api/tasks",
                "{\"pipeline\":\"research-report\",\"topic\":\"LLM agents\",\"language\":\"en\",\"sections\":3}")
            .path("taskId")
            .asText();
    LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    List<String> errors = new ArrayList<>();
    Page page = browser.watchedPage(1366, 900, errors);
    try {
      page.navigate(runtime.api() + "/?poll=300#task=" + id);
      Locator report = page.locator("#task-view [data-role=report]");
      assertThat(report.locator("[data-role=report-title]")).hasText("A survey of LLM agents");
      assertThat(report.locator("[data-role=report-section]")).hasCount(3);
      assertThat(report.locator("[data-role=report-section] h5").first())
          .hasText("LLM agents: the problem and why now");
      assertThat(report.locator("[data-role=report-section]").first()).containsText("[1]");
      assertThat(report.locator("[data-role=citations] a").first())
          .hasAttribute("href", Pattern.compile("^https?://"));
      assertThat(report.locator("[data-role=report-markdown]"))
          .hasAttribute("href", "api/tasks/" + id + "/images/report.md");
      assertThat(report.locator("[data-role=report-html]"))
          .hasAttribute("href", "api/tasks/" + id + "/images/report.html");

      Page html = page.waitForPopup(() -> report.locator("[data-role=report-html]").click());
      assertThat(html.locator("h1")).hasText("A survey of LLM agents");
      assertThat(html.locator("h2").last()).hasText("References");
      Browser.screenshot(page, "reportView");
    } finally {
      page.context().close();
    }
    assertThat(errors).as("errors in the page").isEmpty();
  }

  @Test
  void theStartForm_startsAReport_withItsOwnFields() throws Exception {
    List<String> errors = new ArrayList<>();
    Page page = browser.watchedPage(1366, 900, errors);
    try {
      page.navigate(runtime.api() + "/?poll=300");
      // every installed pipeline (on this classpath also the tests' echo pipeline)
      assertThat(page.locator("#new-pipeline option[value=research-report]")).hasCount(1);
      assertThat(page.locator("#new-pipeline option[value=echo]")).hasCount(1);
      assertThat(page.locator("#new-pipeline")).hasValue("paper-digest");
      assertThat(page.locator("#start-fields [data-field=maxPapers]")).isVisible();
      assertThat(page.locator("#start-fields [data-field=topic]")).hasCount(0);
      page.locator("#new-pipeline").selectOption("research-report");
      assertThat(page.locator("#start-fields [data-field=maxPapers]")).hasCount(0);
      page.locator("#start-fields [data-field=topic]").fill("LLM agents");
      page.locator("#start-fields [data-field=sections]").fill("3");
      page.locator("#start-fields [data-field=language]").selectOption("en");
      page.locator("#start-task").click();
      assertThat(page.locator("#start-message")).containsText("started task");
      String id = page.locator("#start-message").textContent().replace("started task ", "").strip();
      LocalApi.awaitStatus(runtime.api(), id, "succeeded");
      var task = LocalApi.send(runtime.api(), "GET", "/api/tasks/" + id, null);
      assertThat(task.path("pipeline").asText()).isEqualTo("research-report");
      assertThat(task.path("steps")).hasSize(5);
      var result = LocalApi.send(runtime.api(), "GET", "/api/tasks/" + id + "/result", null);
      assertThat(result.path("language").asText()).isEqualTo("en");
      assertThat(result.path("sections")).hasSize(3);

      page.locator("#start-fields [data-field=topic]").fill("ab");
      page.locator("#start-task").click();
      assertThat(page.locator("#start-message")).hasClass(Pattern.compile("error"));
      assertThat(page.locator("#start-message")).containsText("topic");
    } finally {
      page.context().close();
    }
    assertThat(errors).as("errors in the page").isEmpty();
  }
}
