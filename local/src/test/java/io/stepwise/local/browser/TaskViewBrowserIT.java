package io.stepwise.local.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.stepwise.fakes.ModelBehaviour;
import io.stepwise.local.LocalApi;
import io.stepwise.local.LocalRuntime;
import io.stepwise.local.Options;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * The task view ({@code #task=<id>}) in real headless Chromium against the local runtime and the
 * five real steps: the posts as the platform shows them with their card images from the images
 * endpoint, each step with model, duration, attempts and error, the runs, and each checkpoint as
 * collapsible JSON. A model that answers with markup proves the page shows text as text.
 * Screenshots land in {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskViewBrowserIT {

  private static final String MODEL_ID = "gpt-4o-mini-local";

  /**
   * What a model might answer: HTML in the title and body, which the page must show as the
   * characters they are.
   */
  static final String MARKUP_TITLE = "<b>B</b> & <i>x</i>";

  static final String MARKUP_SUMMARY =
      "Summary with <img src=x onerror=\"window.__pwned=1\"> and <script>window.__pwned=2</script>.";

  private LocalRuntime runtime;
  private Browser browser;
  private Page page;
  private Path blobs;
  private final List<String> pageErrors = new ArrayList<>();

  @BeforeAll
  void start() {
    PlaywrightAssertions.setDefaultAssertionTimeout(60_000);
    runtime = LocalRuntime.start(Options.ephemeral(0.001));
    blobs = runtime.blobsDir();
    browser = new Browser();
  }

  @AfterAll
  void stop() {
    browser.close();
    runtime.close();
    assertThat(blobs).as("the temporary blob directory, removed on exit").doesNotExist();
  }

  @BeforeEach
  void openPage() throws Exception {
    LocalApi.send(runtime.api(), "DELETE", "/api/dev/faults", null);
    runtime.models().behave(MODEL_ID, ModelBehaviour.healthy());
    pageErrors.clear();
    page = browser.watchedPage(1366, 900, pageErrors);
  }

  @AfterEach
  void screenshotAndClose(TestInfo info) {
    Browser.screenshot(page, info.getTestMethod().orElseThrow().getName());
    page.context().close();
    assertThat(pageErrors).as("errors in the page").isEmpty();
  }

  @Test
  void banner_namesTheTemporaryBlobDirectory_thatHoldsTheCards() throws Exception {
    assertThat(runtime.banner()).contains("Images, blobs    " + blobs, "removed on exit");
    String id =
        LocalApi.send(runtime.api(), "POST", "/api/tasks", "{\"maxPapers\":1}")
            .path("taskId")
            .asText();
    LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    try (var cards = Files.list(blobs.resolve("images").resolve(id).resolve("r0"))) {
      assertThat(cards.map(p -> p.getFileName().toString()).toList())
          .singleElement()
          .asString()
          .endsWith(".png");
    }
  }

  @Test
  void clickingATask_opensItsView_postsCardsStepsRunsAndCheckpoints() throws Exception {
    // fail render_images once, so the task has an error to show and a second run after the retry
    LocalApi.send(
        runtime.api(),
        "POST",
        "/api/dev/faults",
        "{\"step\":\"render_images\",\"kind\":\"terminal\"}");
    String id =
        LocalApi.send(
                runtime.api(),
                "POST",
                "/api/tasks",
                "{\"maxPapers\":2,\"language\":\"en\",\"note\":\"task view\"}")
            .path("taskId")
            .asText();
    LocalApi.awaitStatus(runtime.api(), id, "failed");
    page.navigate(runtime.api() + "/?poll=300");

    page.locator("article.task[data-task-id='" + id + "'] [data-role=open-task]").click();

    assertThat(page).hasURL(Pattern.compile(".*#task=" + id + "$"));
    Locator view = page.locator("#task-view");
    assertThat(view).isVisible();
    assertThat(view.locator("[data-role=task-view-status]")).hasText("failed");
    assertThat(row("render_images").locator("[data-role=step-error]"))
        .containsText("TerminalStepException");
    assertThat(view.locator("#task-result[data-kind=posts]"))
        .containsText("The posts appear here once the task has succeeded");

    LocalApi.send(runtime.api(), "POST", "/api/tasks/" + id + "/retry", null);
    assertThat(view.locator("[data-role=task-view-status]")).hasText("succeeded");
    assertThat(view.locator("[data-role=post]")).hasCount(2);
    Locator first = view.locator("[data-role=post]").first();
    // no fixed prefix by default (stepwise.publish.title-prefix), and a Latin title is cut between
    // words
    assertThat(first.locator("[data-role=post-title]"))
        .hasText(Pattern.compile("^(?!New: )\\S.*(\\w|\\w…)$"));
    assertThat(first.locator("[data-role=post-body]")).containsText("Paper: ");
    assertThat(first.locator("[data-role=post-tags] .tag").first()).hasText("#AI");
    assertThat(first.locator("[data-role=post-model]")).containsText("model local-gpt");
    Locator card = first.locator("img[data-role=card]");
    assertThat(card).hasAttribute("src", Pattern.compile("^blob:"));
    page.waitForFunction("img => img.complete && img.naturalWidth === 1080", card.elementHandle());
    // the card as the browser shows it: text reaches its lower part (summary and points fill it, no
    // blank middle)
    Object inkRows =
        page.evaluate(
            "img => { const c = document.createElement('canvas'); c.width = img.naturalWidth;"
                + " c.height = img.naturalHeight; const g = c.getContext('2d'); g.drawImage(img, 0, 0);"
                + " const d = g.getImageData(0, 800, c.width, 350).data; let rows = 0;"
                + " for (let y = 0; y < 350; y++) { for (let x = 0; x < c.width; x += 2) { const i = (y * c.width + x) * 4;"
                + " if (d[i] + d[i + 1] + d[i + 2] < 300) { rows++; break; } } } return rows; }",
            card.elementHandle());
    assertThat(((Number) inkRows).intValue())
        .as("rows with text between y 800 and 1150 of the card")
        .isGreaterThan(60);

    assertThat(row("analyze").locator("[data-role=step-model]")).hasText("local-gpt");
    assertThat(row("analyze").locator("[data-role=step-duration]"))
        .hasText(Pattern.compile("\\d+(\\.\\d)? m?s"));
    assertThat(row("render_images").locator("[data-role=step-attempts]"))
        .hasText(Pattern.compile("^[12]"));
    assertThat(row("render_images").locator("[data-role=step-error]")).hasText("");
    assertThat(row("analyze").locator("[data-role=step-cost]"))
        .hasText(Pattern.compile("^\\$0\\.\\d+$"));
    assertThat(row("render_images").locator("[data-role=step-cost]")).hasText("—");
    // the retry resumed at render_images: analyze's output was reused, not paid for again
    assertThat(view.locator("[data-role=task-usage]"))
        .hasText(
            Pattern.compile(
                "^[1-9]\\d* model calls · \\d+ tokens in, \\d+ out · cost \\$0\\.\\d+ · saved by reuse \\$0\\.0*[1-9]\\d*$"));
    Locator runs = view.locator("[data-role=task-runs] tbody tr");
    assertThat(runs).hasCount(2);
    assertThat(runs.nth(1)).containsText("render_images");
    assertThat(runs.nth(1)).containsText("retry");

    Locator checkpoint = view.locator("[data-role=checkpoints] details[data-step=build_payload]");
    assertThat(checkpoint.locator("pre.json")).isHidden();
    checkpoint.locator("summary").click();
    assertThat(checkpoint.locator("pre.json")).isVisible();
    assertThat(checkpoint.locator("pre.json")).containsText("\"platform\": \"rednote\"");
    page.waitForTimeout(1000); // a few polls: the open checkpoint stays open
    assertThat(checkpoint).hasAttribute("open", "");

    Browser.screenshot(page, "task-view"); // docs/task-view.png
    byte[] png =
        fetch(
            runtime.api()
                + LocalApi.send(runtime.api(), "GET", "/api/tasks/" + id + "/result", null)
                    .path("posts")
                    .path(0)
                    .path("images")
                    .path(0)
                    .asText());
    Files.createDirectories(Browser.SCREENSHOTS);
    Files.write(
        Browser.SCREENSHOTS.resolve("card.png"),
        png); // docs/card.png: a card as the images endpoint serves it

    page.locator("#task-view-close").click();
    assertThat(view).isHidden();
  }

  @Test
  void aPostWithMarkup_isShownAsText() throws Exception {
    String post =
        "{\"title\":"
            + quoted(MARKUP_TITLE)
            + ",\"summary\":"
            + quoted(MARKUP_SUMMARY)
            + ",\"keyPoints\":[\"<u>point</u>\"],\"tags\":[\"<em>tag</em>\"]}";
    runtime.models().behave(MODEL_ID, ModelBehaviour.healthy().withContent(post));
    String id =
        LocalApi.send(runtime.api(), "POST", "/api/tasks", "{\"maxPapers\":1,\"language\":\"en\"}")
            .path("taskId")
            .asText();
    LocalApi.awaitStatus(runtime.api(), id, "succeeded");

    page.navigate(runtime.api() + "/?poll=300#task=" + id);

    Locator shown = page.locator("#task-view [data-role=post]").first();
    assertThat(shown.locator("[data-role=post-title]")).hasText(MARKUP_TITLE);
    assertThat(shown.locator("[data-role=post-body]"))
        .containsText("<img src=x onerror=\"window.__pwned=1\">");
    assertThat(shown.locator("[data-role=post-body]"))
        .containsText("<script>window.__pwned=2</script>");
    assertThat(shown.locator("[data-role=post-tags]")).containsText("#<em>tag</em>");
    assertThat(shown.locator("b, i, u, em, script, [data-role=post-body] img")).hasCount(0);
    assertThat(page.evaluate("() => window.__pwned === undefined")).isEqualTo(true);
  }

  @Test
  void anUnknownTaskId_inTheRoute_saysSo() {
    page.navigate(runtime.api() + "/?poll=300#task=no-such-task");
    assertThat(page.locator("#task-view [data-role=task-view-error]")).containsText("no-such-task");
  }

  private Locator row(String step) {
    return page.locator("#task-view [data-role=task-steps] tr[data-step=" + step + "]");
  }

  private static String quoted(String text) throws Exception {
    return new ObjectMapper().writeValueAsString(text);
  }

  private static byte[] fetch(String url) throws Exception {
    HttpResponse<byte[]> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("image/png");
    return r.body();
  }
}
