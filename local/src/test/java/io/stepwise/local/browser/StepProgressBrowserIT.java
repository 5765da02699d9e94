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
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The running step's progress bar in real Chromium: analyze over the local feed's papers, one at a
 * time with slow models, draws a bar inside its step that fills as papers finish and is gone once
 * the step has succeeded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StepProgressBrowserIT {

  private LocalRuntime runtime;
  private Browser browser;

  @BeforeAll
  void start() {
    PlaywrightAssertions.setDefaultAssertionTimeout(60_000);
    runtime =
        LocalRuntime.start(
            Options.ephemeral(0.001),
            Map.of("stepwise.pipelines.paper-digest.steps.analyze.concurrency", "1"));
    browser = new Browser();
  }

  @AfterAll
  void stop() {
    browser.close();
    runtime.close();
  }

  @Test
  void aRunningAnalyze_drawsABarOfPapersDone_thatGoesWhenTheStepSucceeds() throws Exception {
    LocalApi.send(runtime.api(), "PUT", "/api/dev/models/local-gpt", "{\"latencyMs\":900}");
    LocalApi.send(runtime.api(), "PUT", "/api/dev/models/local-claude", "{\"latencyMs\":900}");
    List<String> errors = new ArrayList<>();
    Page page = browser.watchedPage(1366, 900, errors);
    try {
      page.navigate(runtime.api() + "/?poll=200");
      String id =
          LocalApi.send(runtime.api(), "POST", "/api/tasks", "{\"maxPapers\":20}")
              .path("taskId")
              .asText();
      Locator analyze =
          page.locator("article.task[data-task-id='" + id + "'] button.step[data-step='analyze']");
      Locator bar = analyze.locator("[data-role=step-progress]");
      assertThat(bar).hasAttribute("aria-valuenow", Pattern.compile("[1-9]\\d*"));
      String total = bar.getAttribute("aria-valuemax");
      int done = Integer.parseInt(bar.getAttribute("aria-valuenow"));
      assertThat(Integer.parseInt(total)).isGreaterThan(done);
      assertThat(bar).hasText(Pattern.compile("\\d+/" + total));
      assertThat(analyze).hasAttribute("data-status", "running");
      assertThat(analyze)
          .hasAttribute("title", Pattern.compile("analyze: running · \\d+ of " + total + " items"));
      String width = (String) bar.locator(".step-progress-fill").evaluate("e => e.style.width");
      assertThat(width).matches("\\d+%");
      Browser.screenshot(page, "step-progress");

      assertThat(analyze).hasAttribute("data-status", "succeeded");
      assertThat(bar).hasCount(0);
      assertThat(errors).as("errors in the page (a CSP violation among them)").isEmpty();
    } finally {
      page.context().close();
      LocalApi.send(runtime.api(), "DELETE", "/api/dev/models/local-gpt", null);
      LocalApi.send(runtime.api(), "DELETE", "/api/dev/models/local-claude", null);
    }
  }
}
