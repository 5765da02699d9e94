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
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * The start form in real headless Chromium: drawn from each installed pipeline's input schema, with
 * no pipeline named by the page. The tests' own pipeline {@code echo} (greet → shout, no result
 * view of its own) starts from it like the shipped ones, and a batch started from the form runs the
 * chosen pipeline. Screenshots of each pipeline's form land in {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StartFormBrowserIT {

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
  void openDashboard() {
    pageErrors.clear();
    page = browser.watchedPage(1366, 900, pageErrors);
    page.navigate(runtime.api() + "/?poll=300");
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

  private Locator card(String taskId) {
    return page.locator("article.task[data-task-id='" + taskId + "']");
  }

  private Locator field(String path) {
    return page.locator("#start-fields [data-field='" + path + "']");
  }

  private int total() throws Exception {
    int n = 0;
    for (JsonNode count : send("GET", "/api/tasks/stats", null)) {
      n += count.asInt();
    }
    return n;
  }

  /** The dotted path of every field a value can be typed into (nested objects' fields included). */
  private static List<String> leafFields(JsonNode schema, String prefix) {
    List<String> paths = new ArrayList<>();
    for (Map.Entry<String, JsonNode> p :
        (Iterable<Map.Entry<String, JsonNode>>) () -> schema.path("properties").fields()) {
      if (p.getValue().path("type").asText().equals("object") && p.getValue().has("properties")) {
        paths.addAll(leafFields(p.getValue(), prefix + p.getKey() + "."));
      } else {
        paths.add(prefix + p.getKey());
      }
    }
    return paths;
  }

  @Test
  void everyInstalledPipeline_getsAFieldPerInputField_fromItsSchema() throws Exception {
    JsonNode pipelines = send("GET", "/api/pipelines", null);
    List<String> names = new ArrayList<>();
    pipelines.forEach(p -> names.add(p.path("name").asText()));
    assertThat(page.locator("#new-pipeline option")).hasText(names.toArray(String[]::new));
    for (JsonNode p : pipelines) {
      if (p.path("default").asBoolean()) {
        assertThat(page.locator("#new-pipeline"))
            .hasValue(p.path("name").asText()); // chosen at first
      }
    }
    for (JsonNode p : pipelines) {
      String name = p.path("name").asText();
      page.locator("#new-pipeline").selectOption(name);
      assertThat(page.locator("#start-fields")).hasAttribute("data-pipeline", name);
      List<String> fields = leafFields(p.path("inputSchema"), "");
      assertThat(page.locator("#start-fields [data-field]")).hasCount(fields.size());
      Locator more = page.locator("#start-fields [data-role=more-fields]");
      if (more.count() > 0) {
        more.locator("summary").click(); // lists and groups: one click away
      }
      for (String path : fields) {
        assertThat(field(path)).isVisible();
      }
      Browser.screenshot(page, "start-form-" + name);
    }
    // the digest's form: a list, a choice, a bounded number and a nested field, each typed for what
    // it takes
    page.locator("#new-pipeline").selectOption("paper-digest");
    assertThat(field("maxPapers")).hasAttribute("type", "number");
    assertThat(field("maxPapers")).hasAttribute("max", "20");
    assertThat(field("language").locator("option")).hasText(new String[] {"default", "zh", "en"});
    assertThat(field("publish.target").locator("xpath=ancestor::fieldset/legend"))
        .hasText("Publish");
    assertThat(field("query.keywords")).hasAttribute("data-kind", "list-string");

    Page phone = browser.page(390, 844);
    try {
      phone.navigate(runtime.api() + "/");
      phone.locator("#new-pipeline").selectOption("research-report");
      assertThat(phone.locator("#start-fields [data-field=topic]")).isVisible();
      Browser.screenshot(phone, "start-form-phone");
      assertThat(
              (Boolean)
                  phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))
          .as("no horizontal scroll on a phone")
          .isTrue();
    } finally {
      phone.context().close();
    }
  }

  @Test
  void theTestPipeline_startsFromItsGeneratedForm_asATaskAndABatch_withItsLabelsAndItsResultAsJson()
      throws Exception {
    page.locator("#new-pipeline").selectOption("echo");
    assertThat(page.locator("#start-fields [data-field]")).hasCount(1);
    field("name").fill("ada");
    page.locator("#start-task").click();

    assertThat(page.locator("#start-message")).containsText("started task ");
    String taskId =
        page.locator("#start-message").textContent().replace("started task ", "").trim();
    assertThat(card(taskId)).hasAttribute("data-status", "succeeded");
    assertThat(card(taskId).locator("[data-role=pipeline]")).hasText("echo");
    assertThat(card(taskId).locator("button.step")).hasText(new String[] {"1 Greet", "2 Shout"});
    JsonNode task = send("GET", "/api/tasks/" + taskId, null);
    assertThat(task.path("pipeline").asText()).isEqualTo("echo");
    assertThat(task.path("input").path("name").asText()).isEqualTo("ada");

    page.locator("#batch-count").fill("2");
    page.locator("#start-batch").click();
    assertThat(page.locator("#start-message")).hasText("started batch of 2 echo tasks");
    assertThat(page.locator("#batch-stats [data-stat=succeeded]")).hasText("2");
    JsonNode batch = send("GET", "/api/batches/" + page.locator("#batch-id").inputValue(), null);
    assertThat(batch.path("taskIds")).hasSize(2);
    for (JsonNode id : batch.path("taskIds")) {
      JsonNode batched = send("GET", "/api/tasks/" + id.asText(), null);
      assertThat(batched.path("pipeline").asText()).isEqualTo("echo");
      assertThat(batched.path("input").path("name").asText()).isEqualTo("ada");
      assertThat(card(id.asText()).locator("button.step"))
          .hasText(new String[] {"1 Greet", "2 Shout"});
    }

    card(taskId).locator("[data-role=open-task]").click();
    Locator view = page.locator("#task-view");
    assertThat(view.locator("h3").first()).hasText("Result");
    assertThat(view.locator("#task-result[data-kind=json] [data-role=result-json]"))
        .containsText("\"text\": \"HELLO, ADA!\"");
    assertThat(view.locator("[data-role=task-steps] tr[data-step=greet] [data-role=step-label]"))
        .containsText("Greet");
    assertThat(view.locator("[data-role=post], [data-role=report]")).hasCount(0);
    Browser.screenshot(page, "echo-task-view");
  }

  @Test
  void aPipelineWithAReview_offersIt_andATaskStartedWithItWaitsForReview() throws Exception {
    page.locator("#new-pipeline").selectOption("echo");
    assertThat(page.locator("#new-review")).hasCount(0); // echo has no review step
    page.locator("#new-pipeline").selectOption("paper-digest");
    assertThat(page.locator("#start-review"))
        .containsText("Wait for my review after Build payload");
    assertThat(page.locator("#new-review")).not().isChecked(); // off by default
    field("maxPapers").fill("1");
    page.locator("#new-review").check();
    page.locator("#start-task").click();
    assertThat(page.locator("#start-message")).containsText("started task ");
    String taskId =
        page.locator("#start-message").textContent().replace("started task ", "").trim();
    assertThat(card(taskId)).hasAttribute("data-status", "awaiting_review");
    assertThat(send("GET", "/api/tasks/" + taskId, null).path("input").path("review").asBoolean())
        .isTrue();
    send("POST", "/api/tasks/" + taskId + "/cancel", null);
  }

  @Test
  void aBatchOfReportsFromTheForm_startsResearchReportTasks_notDigests() throws Exception {
    page.locator("#new-pipeline").selectOption("research-report");
    field("topic").fill("LLM agents");
    field("sections").fill("3");
    field("language").selectOption("en");
    page.locator("#batch-count").fill("2");
    page.locator("#start-batch").click();

    assertThat(page.locator("#start-message")).hasText("started batch of 2 research-report tasks");
    JsonNode batch = send("GET", "/api/batches/" + page.locator("#batch-id").inputValue(), null);
    assertThat(batch.path("taskIds")).hasSize(2);
    for (JsonNode id : batch.path("taskIds")) {
      JsonNode task = LocalApi.awaitStatus(runtime.api(), id.asText(), "succeeded");
      assertThat(task.path("pipeline").asText()).isEqualTo("research-report");
      assertThat(task.path("input").path("topic").asText()).isEqualTo("LLM agents");
      assertThat(task.path("steps").get(0).path("name").asText()).isEqualTo("plan");
      assertThat(card(id.asText()).locator("[data-role=pipeline]")).hasText("research-report");
      assertThat(card(id.asText()).locator("button.step").first()).hasText("1 Plan");
    }
    assertThat(page.locator("#batch-stats [data-stat=succeeded]")).hasText("2");

    // a required field left empty: the API's refusal names it, and nothing starts
    int before = total();
    field("topic").fill("");
    page.locator("#start-batch").click();
    assertThat(page.locator("#start-message")).hasClass(Pattern.compile("error"));
    assertThat(page.locator("#start-message")).containsText("task.topic");
    assertThat(total()).isEqualTo(before);
  }
}
