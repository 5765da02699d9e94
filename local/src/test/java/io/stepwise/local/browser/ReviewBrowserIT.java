package io.stepwise.local.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * A person in the loop, on the dashboard in real headless Chromium against the local runtime: the
 * review queue lists a digest task held for review; its posts are edited in place with live
 * counters (a title over RedNote's 20 characters is marked, and the API's 422 naming the rule is
 * shown with nothing stored); a saved edit is what the MCP server receives after Approve; Reject
 * ends the task as rejected with nothing published. Screenshots in {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReviewBrowserIT {

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

  private String reviewedTask(String note) throws Exception {
    String id =
        LocalApi.send(
                runtime.api(),
                "POST",
                "/api/tasks",
                "{\"maxPapers\":1,\"language\":\"en\",\"review\":true,\"note\":\"" + note + "\"}")
            .path("taskId")
            .asText();
    LocalApi.awaitStatus(runtime.api(), id, "awaiting_review");
    return id;
  }

  private JsonNode underReview(String id) throws Exception {
    return LocalApi.send(runtime.api(), "GET", "/api/tasks/" + id + "/checkpoint", null)
        .path("steps")
        .path("build_payload");
  }

  private Locator box() {
    return page.locator("#task-view #review-box");
  }

  @Test
  void theQueue_listsATaskHeldForReview_andOpensItsView() throws Exception {
    String id = reviewedTask("queued for review");
    page.navigate(runtime.api() + "/?poll=300");

    Locator queued = page.locator("#reviews [data-task-id='" + id + "']");
    assertThat(queued).isVisible();
    assertThat(queued).containsText("queued for review");
    assertThat(queued.locator("[data-role=queue-step]")).not().isEmpty();
    assertThat(page.locator("#reviews-count")).hasText(Pattern.compile("^[1-9]\\d*\\+? awaiting$"));
    assertThat(page.locator("#counts li[data-status=awaiting_review] b"))
        .hasText(Pattern.compile("^[1-9]"));
    Locator card = page.locator("article.task[data-task-id='" + id + "']");
    assertThat(card.locator(".badge")).hasText("awaiting_review");
    assertThat(card.locator("[data-action=cancel]")).isEnabled();

    page.locator("#status-filter").selectOption("awaiting_review");
    assertThat(page.locator("article.task[data-task-id='" + id + "']")).isVisible();
    assertThat(page.locator("article.task:not([data-status=awaiting_review])")).hasCount(0);

    queued.locator("[data-action=open-review]").click();
    assertThat(page).hasURL(Pattern.compile(".*#task=" + id + "$"));
    assertThat(page.locator("[data-role=task-view-status]")).hasText("awaiting_review");
    assertThat(box()).hasAttribute("data-state", "open");
    assertThat(box().locator("[data-role=post-edit]")).hasCount(1);
    assertThat(box().locator("[data-role=edit-title]"))
        .hasValue(underReview(id).path("output").path("posts").get(0).path("title").asText());
    assertThat(box().locator("[data-action=approve]")).isEnabled();
    assertThat(box().locator("[data-action=reject]")).isEnabled();
    LocalApi.send(runtime.api(), "POST", "/api/tasks/" + id + "/cancel", null);
  }

  @Test
  void aTitleOverTheLimit_isCountedOver_andThe422NamesTheRule_withNothingStored() throws Exception {
    String id = reviewedTask("too long a title");
    JsonNode before = underReview(id);
    page.navigate(runtime.api() + "/?poll=300#task=" + id);

    Locator title = box().locator("[data-role=edit-title]");
    Locator count = box().locator("[data-role=title-count]");
    // characters as a reader counts them: two flags and an e with a combining accent
    title.fill("\uD83C\uDDEF\uD83C\uDDF5\uD83C\uDDEB\uD83C\uDDF7 cafe\u0301");
    assertThat(count).hasText("7/20");
    assertThat(count).not().hasClass(Pattern.compile("\\bover\\b"));

    title.fill("x".repeat(22));
    assertThat(count).hasText("22/20");
    assertThat(count).hasClass(Pattern.compile("\\bover\\b"));
    assertThat(title).hasAttribute("aria-invalid", "true");
    assertThat(box().locator("[data-role=body-count]")).hasText(Pattern.compile("^\\d+/1000$"));

    box().locator("[data-action=save-edit]").click();
    Locator message = box().locator("[data-role=review-message]");
    assertThat(message).containsText("Not saved: one rule is broken");
    assertThat(message.locator("[data-role=violations] li"))
        .hasText("posts[0].title has 22 characters; rednote allows 20");
    assertThat(title).hasValue("x".repeat(22)); // what was typed stays, to be fixed
    Browser.screenshot(page, "review-violation");

    JsonNode after = underReview(id);
    assertThat(after.path("output")).isEqualTo(before.path("output"));
    assertThat(after.path("edits").size()).isZero();
    assertThat(page.locator("#task-view [data-role=edit-history]")).hasCount(0);
    LocalApi.send(runtime.api(), "POST", "/api/tasks/" + id + "/cancel", null);
  }

  @Test
  void aSavedEdit_isWhatThePlatformReceives_afterApprove() throws Exception {
    String id = reviewedTask("edit and approve");
    int published = runtime.mcp().calls().size();
    page.navigate(runtime.api() + "/?poll=300#task=" + id);

    Locator title = box().locator("[data-role=edit-title]");
    title.fill("Edited in the browser");
    assertThat(box().locator("[data-role=title-count]")).hasText("21/20");
    title.fill("Edited in a browser");
    assertThat(box().locator("[data-role=title-count]")).hasText("19/20");
    box().locator("[data-role=edit-tags]").fill("AI, agents, review");
    assertThat(box().locator("[data-role=tags-count]")).hasText("3/10");

    box().locator("[data-action=approve]").click();
    assertThat(box().locator("[data-role=review-message]"))
        .containsText("Save or undo your changes first");
    assertThat(page.locator("[data-role=task-view-status]")).hasText("awaiting_review");

    box().locator("[data-action=save-edit]").click();
    assertThat(box().locator("[data-role=review-message]")).containsText("Saved");
    assertThat(page.locator("#task-view [data-role=edit-history] li"))
        .containsText("edited by someone (no sign-in)");
    assertThat(box().locator("[data-role=edit-title]")).hasValue("Edited in a browser");
    JsonNode stored = underReview(id);
    assertThat(stored.path("output").path("posts").get(0).path("title").asText())
        .isEqualTo("Edited in a browser");
    assertThat(stored.path("output").path("posts").get(0).path("tags").toString())
        .isEqualTo("[\"AI\",\"agents\",\"review\"]");
    assertThat(stored.path("edits")).hasSize(1);
    Browser.screenshot(page, "review"); // docs/review.png

    box().locator("[data-role=decision-comment]").fill("fixed the title");
    box().locator("[data-action=approve]").click();
    LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    assertThat(page.locator("[data-role=task-view-status]")).hasText("succeeded");
    assertThat(box()).hasAttribute("data-state", "approve");
    assertThat(box().locator("[data-role=review-decision]")).containsText("Approved");
    assertThat(box().locator("[data-role=review-decision]")).containsText("fixed the title");
    assertThat(page.locator("#task-view [data-role=post-title]")).hasText("Edited in a browser");
    assertThat(runtime.mcp().calls().size() - published).isEqualTo(1);
    assertThat(runtime.mcp().calls().get(runtime.mcp().calls().size() - 1).arguments().toString())
        .contains("Edited in a browser");
    assertThat(page.locator("#reviews [data-task-id='" + id + "']")).hasCount(0);
  }

  @Test
  void reject_endsTheTaskRejected_andPublishesNothing() throws Exception {
    String id = reviewedTask("to be rejected");
    int published = runtime.mcp().calls().size();
    page.navigate(runtime.api() + "/?poll=300#task=" + id);

    box().locator("[data-role=decision-comment]").fill("off topic <b>today</b>");
    box().locator("[data-action=reject]").click();
    assertThat(page.locator("[data-role=task-view-status]")).hasText("rejected");
    assertThat(box()).hasAttribute("data-state", "reject");
    assertThat(box().locator("[data-role=review-decision]")).containsText("Rejected");
    assertThat(box().locator("[data-role=review-decision]")).containsText("off topic <b>today</b>");
    assertThat(box().locator("[data-role=edit-title]")).hasCount(0);
    assertThat(page.locator("#reviews [data-task-id='" + id + "']")).hasCount(0);
    Locator card = page.locator("article.task[data-task-id='" + id + "']");
    assertThat(card.locator(".badge")).hasText("rejected");
    assertThat(card.locator("[data-action=retry]")).isEnabled();

    JsonNode task = LocalApi.send(runtime.api(), "GET", "/api/tasks/" + id, null);
    assertThat(task.path("status").asText()).isEqualTo("rejected");
    assertThat(task.path("review").path("decision").asText()).isEqualTo("reject");
    Thread.sleep(300); // the execution ends with the rejection: nothing after it may run
    assertThat(runtime.mcp().calls().size()).isEqualTo(published);
    assertThat(
            LocalApi.send(runtime.api(), "GET", "/api/tasks/" + id, null)
                .path("steps")
                .get(5)
                .path("status")
                .asText())
        .isNotEqualTo("succeeded");
  }
}
