package io.stepwise.local.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.stepwise.local.LocalApi;
import io.stepwise.local.LocalRuntime;
import io.stepwise.local.Options;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * Regenerating a finished task and recovering many failed ones, from the dashboard in real
 * Chromium: the task view offers exactly the fields a rerun from the chosen step may change and
 * sends only what was changed; the recover panel previews what its filter matches, then retries
 * exactly those.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecoveryBrowserIT {

  private LocalRuntime runtime;
  private Browser browser;
  private Page page;
  private final List<String> pageErrors = new ArrayList<>();

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

  @BeforeEach
  void openPage() {
    pageErrors.clear();
    page = browser.watchedPage(1366, 900, pageErrors);
  }

  @AfterEach
  void screenshotAndClose(TestInfo info) {
    Browser.screenshot(page, info.getTestMethod().orElseThrow().getName());
    page.context().close();
    assertThat(pageErrors).as("errors in the page").isEmpty();
  }

  private JsonNode send(String method, String path, String body) throws Exception {
    return LocalApi.send(runtime.api(), method, path, body);
  }

  @Test
  void regenerateFromAnalyze_offersOnlyTheFieldsAnalyzeAndLaterRead_andRerunsInEnglish()
      throws Exception {
    String id =
        send("POST", "/api/tasks", "{\"maxPapers\":1,\"language\":\"zh\"}").path("taskId").asText();
    LocalApi.awaitStatus(runtime.api(), id, "succeeded");

    page.navigate(runtime.api() + "/?poll=300#task=" + id);
    page.locator("#regen-step").selectOption("analyze");
    assertThat(page.locator("#regen-fields input[data-field=language]")).hasValue("zh");
    assertThat(page.locator("#regen-fields input[data-field=maxPapers]")).hasCount(0);
    assertThat(page.locator("#regen-fields input[data-field=note]")).hasCount(1);
    page.locator("#regen-step").selectOption("fetch_papers");
    assertThat(page.locator("#regen-fields input[data-field=maxPapers]")).hasValue("1");
    page.locator("#regen-step").selectOption("analyze");
    page.locator("#regen-fields input[data-field=language]").fill("en");
    assertThat(page.locator("#regen-go")).hasText("Regenerate from analyze");
    page.locator("#regen-go").click();

    assertThat(page.locator("#regen-message"))
        .hasText("regenerating from analyze with language changed");
    JsonNode done = LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    assertThat(done.path("input").path("language").asText()).isEqualTo("en");
    assertThat(done.path("runs").get(1).path("overrides").toString())
        .isEqualTo("{\"language\":\"en\"}");
    assertThat(page.locator("[data-role=task-runs] tr[data-run=r1]"))
        .containsText("rerun, changed language");
  }

  @Test
  void recover_previewsTheMatches_thenRetriesExactlyThose() throws Exception {
    send(
        "POST",
        "/api/dev/faults",
        "{\"step\":\"render_images\",\"kind\":\"terminal\",\"times\":2}");
    String a = send("POST", "/api/tasks", "{\"maxPapers\":1}").path("taskId").asText();
    LocalApi.awaitStatus(runtime.api(), a, "failed");
    String b = send("POST", "/api/tasks", "{\"maxPapers\":1}").path("taskId").asText();
    LocalApi.awaitStatus(runtime.api(), b, "failed");

    page.navigate(runtime.api() + "/?poll=300");
    page.locator("#recover-step").selectOption("render_images");
    page.locator("#recover-preview").click();
    assertThat(page.locator("#recover-message")).hasText("2 tasks match");
    assertThat(page.locator("#recover-list li")).hasCount(2);
    assertThat(page.locator("#recover-confirm")).hasText("Retry 2 tasks");
    page.locator("#recover-error").fill("NoSuchError");
    page.locator("#recover-preview").click();
    assertThat(page.locator("#recover-message")).hasText("no task matches");
    assertThat(page.locator("#recover-confirm")).isDisabled();

    page.locator("#recover-error").fill("TerminalStepException");
    page.locator("#recover-preview").click();
    assertThat(page.locator("#recover-message")).hasText("2 tasks match");
    page.locator("#recover-confirm").click();
    assertThat(page.locator("#recover-message")).hasText("retried 2");
    for (String id : List.of(a, b)) {
      JsonNode done = LocalApi.awaitStatus(runtime.api(), id, "succeeded");
      assertThat(done.path("runs").get(1).path("startAt").asText()).isEqualTo("render_images");
    }
  }
}
