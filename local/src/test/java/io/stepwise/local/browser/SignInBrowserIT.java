package io.stepwise.local.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.stepwise.local.LocalRuntime;
import io.stepwise.local.Options;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboard with {@code --auth}, in real Chromium: it signs in through the dev issuer with the
 * authorization-code flow and PKCE, each user sees only their own tasks, an operator sees
 * everyone's, and without signing in the page shows nothing but the way to sign in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignInBrowserIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private LocalRuntime runtime;
  private Browser browser;
  private final List<Page> pages = new ArrayList<>();
  private final List<String> pageErrors = new ArrayList<>();

  @BeforeAll
  void start() {
    PlaywrightAssertions.setDefaultAssertionTimeout(60_000);
    runtime = LocalRuntime.start(Options.ephemeral(0.001).withAuth());
    browser = new Browser();
  }

  @AfterAll
  void stop() {
    browser.close();
    runtime.close();
  }

  @AfterEach
  void screenshotAndClose(TestInfo info) {
    for (int i = 0; i < pages.size(); i++) {
      Browser.screenshot(
          pages.get(i), "sign-in-" + info.getTestMethod().orElseThrow().getName() + "-" + i);
      pages.get(i).context().close();
    }
    pages.clear();
    assertThat(pageErrors).as("errors in the pages").isEmpty();
    pageErrors.clear();
  }

  /** A fresh browser (own storage), at the dashboard. */
  private Page open() {
    Page page = browser.watchedPage(1366, 900, pageErrors);
    pages.add(page);
    page.navigate(runtime.api() + "/?poll=300");
    return page;
  }

  /** Signs in through the dev issuer's form, as a person would. */
  private Page signedIn(String sub, String groups) {
    Page page = open();
    assertThat(page.locator("#sign-in-panel")).isVisible();
    page.locator("#sign-in").click();
    page.locator("#sub").fill(sub);
    page.locator("#groups").fill(groups);
    page.locator("button#sign-in").click();
    assertThat(page.locator("#who")).hasText(sub);
    assertThat(page.locator("#main")).isVisible();
    return page;
  }

  private String taskOf(String sub) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String token =
        JSON.readTree(
                http.send(
                        HttpRequest.newBuilder(URI.create(runtime.api() + "/api/dev/tokens"))
                            .header("Content-Type", "application/json")
                            .POST(
                                HttpRequest.BodyPublishers.ofString(
                                    JSON.writeValueAsString(
                                        Map.of("sub", sub, "groups", List.of()))))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body())
            .path("token")
            .asText();
    HttpResponse<String> created =
        http.send(
            HttpRequest.newBuilder(URI.create(runtime.api() + "/api/tasks"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"maxPapers\":1,\"note\":\"" + sub + "'s task\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    return JSON.readTree(created.body()).path("taskId").asText();
  }

  @Test
  void signedOut_thePageShowsOnlyTheWayToSignIn() {
    Page page = open();
    assertThat(page.locator("#sign-in-panel")).isVisible();
    assertThat(page.locator("#main")).isHidden();
    assertThat(page.locator("#sign-out")).isHidden();
  }

  @Test
  void userBCannotSeeUserAsTask_theOperatorCan_andOwnTasksStartFromThePage() throws Exception {
    String alicesTask = taskOf("alice");

    Page alice = signedIn("alice", "");
    assertThat(alice.locator("article.task[data-task-id='" + alicesTask + "']")).isVisible();
    // the PKCE round trip kept the page's own parameters and left no code in the address
    assertThat(alice.url()).endsWith("/?poll=300");

    Page bob = signedIn("bob", "");
    assertThat(bob.locator("#tasks .empty")).hasText("No tasks here yet.");
    assertThat(bob.locator("article.task[data-task-id='" + alicesTask + "']")).hasCount(0);
    bob.locator("#start-fields [data-field=maxPapers]").fill("1");
    bob.locator("#start-task").click();
    assertThat(bob.locator("#start-message")).containsText("started task ");
    String bobsTask =
        bob.locator("#start-message").textContent().replace("started task ", "").trim();
    assertThat(bob.locator("article.task[data-task-id='" + bobsTask + "']")).isVisible();
    assertThat(alice.locator("article.task[data-task-id='" + bobsTask + "']")).hasCount(0);

    Page operator = signedIn("ops", "stepwise-operators");
    assertThat(operator.locator("article.task[data-task-id='" + alicesTask + "']")).isVisible();
    assertThat(operator.locator("article.task[data-task-id='" + bobsTask + "']")).isVisible();
    // polling went on all the while: alice still sees only her task
    assertThat(alice.locator("article.task")).hasCount(1);
  }

  @Test
  void signOut_forgetsTheToken_andAnotherSignInStartsAfresh() {
    Page page = signedIn("dora", "");
    page.locator("#sign-out").click();
    assertThat(page.locator("#sign-in-panel")).isVisible();
    assertThat(page.locator("#main")).isHidden();
    assertThat((Object) page.evaluate("() => sessionStorage.getItem('stepwise.token')")).isNull();
    page.reload();
    assertThat(page.locator("#sign-in-panel")).isVisible();
  }

  @Test
  void aTamperedReturn_isRefused_andSignsNobodyIn() {
    Page page = open();
    page.navigate(runtime.api() + "/?code=stolen&state=not-mine");
    assertThat(page.locator("#sign-in-message"))
        .containsText("does not belong to a sign-in started here");
    assertThat(page.locator("#main")).isHidden();
  }
}
