package io.stepwise.local.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.stepwise.local.LocalApi;
import io.stepwise.local.LocalRuntime;
import io.stepwise.local.Options;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The dashboard in real headless Chromium against the running local runtime (DynamoDB Local, the
 * Step Functions emulator, the five real steps), with faults injected through {@code
 * /api/dev/faults}. Screenshots of every test land in {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double SLOW = 60_000;

  private LocalRuntime runtime;
  private Browser browser;
  private Page page;
  private final List<String> pageErrors = new ArrayList<>();

  @BeforeAll
  void start() {
    PlaywrightAssertions.setDefaultAssertionTimeout(SLOW);
    // No minimum gap between probes, so every "check now" really probes the local model servers.
    // Alerts evaluated every second, so the banner follows a model's health within a poll.
    runtime =
        LocalRuntime.start(
            Options.ephemeral(0.001),
            Map.of("stepwise.health.min-gap", "0s", "stepwise.alerts.interval", "1s"));
    browser = new Browser();
  }

  @AfterAll
  void stop() {
    browser.close();
    runtime.close();
  }

  @BeforeEach
  void openDashboard() throws Exception {
    send("DELETE", "/api/dev/faults", null);
    send("DELETE", "/api/dev/models/local-gpt", null);
    send("DELETE", "/api/dev/models/local-claude", null);
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

  private String createTask(String body) throws Exception {
    return send("POST", "/api/tasks", body).path("taskId").asText();
  }

  private Locator card(String taskId) {
    return page.locator("article.task[data-task-id='" + taskId + "']");
  }

  private Locator step(String taskId, String step) {
    return card(taskId).locator("button.step[data-step='" + step + "']");
  }

  private void awaitStatus(String taskId, String status) {
    assertThat(card(taskId)).hasAttribute("data-status", status);
  }

  // ---- watching a task
  // ---------------------------------------------------------------------------------------

  @Test
  @Order(1)
  void startTaskFromThePage_itsStepsReachSucceededLive() throws Exception {
    // slow models keep analyze running long enough to be seen running (both: the router goes to the
    // faster one)
    send("PUT", "/api/dev/models/local-gpt", "{\"latencyMs\":1500}");
    send("PUT", "/api/dev/models/local-claude", "{\"latencyMs\":1500}");
    // the start form is drawn from the default pipeline's input schema
    assertThat(page.locator("#new-pipeline")).hasValue("paper-digest");
    page.locator("#start-fields [data-field=note]").fill("watch me run");
    page.locator("#start-fields [data-field=maxPapers]").fill("1");
    page.locator("#start-task").click();

    assertThat(page.locator("#start-message")).containsText("started task ");
    String taskId =
        page.locator("#start-message").textContent().replace("started task ", "").trim();
    assertThat(card(taskId).locator(".note")).hasText("watch me run");
    assertThat(step(taskId, "analyze")).hasAttribute("data-status", "running");
    assertThat(step(taskId, "fetch_papers")).hasAttribute("data-status", "succeeded");
    assertThat(step(taskId, "publish")).hasAttribute("data-status", "pending");
    assertThat(card(taskId)).hasAttribute("data-status", "running");
    // each step as the pipeline labels it (GET /api/pipelines), in its order
    assertThat(card(taskId).locator("button.step"))
        .containsText(
            new String[] {
              "1 Fetch papers", "2 Analyze", "3 Render images", "4 Build payload", "5 Publish"
            });
    assertThat(card(taskId).locator("[data-role=pipeline]")).hasText("paper-digest");
    Browser.screenshot(page, "task-running");
    for (String s :
        List.of("fetch_papers", "analyze", "render_images", "build_payload", "publish")) {
      assertThat(step(taskId, s)).hasAttribute("data-status", "succeeded");
    }
    awaitStatus(taskId, "succeeded");
    assertThat(card(taskId).locator(".badge")).hasText("succeeded");
    assertThat(card(taskId).locator("[data-action=retry]")).isDisabled();
    assertThat(card(taskId).locator("[data-action=cancel]")).isDisabled();
    assertThat(step(taskId, "analyze")).isDisabled();
    assertThat(card(taskId).locator("[data-role=step-progress]")).hasCount(0);
  }

  @Test
  @Order(2)
  void injectedFault_showsTheFailedStepAndItsError_andRetryFinishesTheTask() throws Exception {
    send(
        "POST",
        "/api/dev/faults",
        "{\"step\":\"render_images\",\"kind\":\"terminal\",\"times\":1}");
    String taskId = createTask("{\"maxPapers\":1,\"note\":\"fault demo\"}");

    awaitStatus(taskId, "failed");
    assertThat(step(taskId, "render_images")).hasAttribute("data-status", "failed");
    assertThat(step(taskId, "analyze")).hasAttribute("data-status", "succeeded");
    assertThat(step(taskId, "build_payload")).hasAttribute("data-status", "pending");
    assertThat(card(taskId).locator("[data-role=error]")).containsText("render_images failed");
    assertThat(card(taskId).locator("[data-role=error]"))
        .containsText("injected terminal fault at render_images");
    Locator retry = card(taskId).locator("[data-action=retry]");
    assertThat(retry).hasText("Retry from render_images");
    assertThat(retry).isEnabled();
    assertThat(card(taskId).locator("[data-action=cancel]")).isDisabled();
    Browser.screenshot(page, "failed-task");

    retry.click();

    awaitStatus(taskId, "succeeded");
    assertThat(step(taskId, "render_images")).hasAttribute("data-status", "succeeded");
    JsonNode task = send("GET", "/api/tasks/" + taskId, null);
    assertThat(task.path("runs")).hasSize(2);
    assertThat(task.path("runs").get(1).path("startAt").asText()).isEqualTo("render_images");
    assertThat(task.path("steps").get(1).path("executions").asInt())
        .as("analyze ran once")
        .isEqualTo(1);
  }

  @Test
  @Order(3)
  void clickingAStep_asksForConfirmation_thenRetriesFromThatStep() throws Exception {
    send("POST", "/api/dev/faults", "{\"step\":\"publish\",\"kind\":\"terminal\",\"times\":1}");
    String taskId = createTask("{\"maxPapers\":1,\"note\":\"retry from a chosen step\"}");
    awaitStatus(taskId, "failed");
    assertThat(step(taskId, "publish")).hasAttribute("data-status", "failed");

    step(taskId, "analyze").click();
    assertThat(page.locator("#confirm")).isVisible();
    assertThat(page.locator("#confirm-text")).containsText("from analyze");
    page.locator("#confirm-no").click();
    assertThat(page.locator("#confirm")).isHidden();
    assertThat(send("GET", "/api/tasks/" + taskId, null).path("retryCount").asInt())
        .as("declined: nothing happens")
        .isZero();

    step(taskId, "analyze").click();
    page.locator("#confirm-yes").click();

    awaitStatus(taskId, "succeeded");
    JsonNode task = send("GET", "/api/tasks/" + taskId, null);
    assertThat(task.path("runs").get(1).path("startAt").asText()).isEqualTo("analyze");
    assertThat(task.path("steps").get(0).path("executions").asInt())
        .as("fetch_papers kept")
        .isEqualTo(1);
    assertThat(task.path("steps").get(1).path("executions").asInt())
        .as("analyze ran again")
        .isEqualTo(2);
  }

  @Test
  @Order(4)
  void cancel_stopsARunningTask_andRetryResumesWhereItStopped() throws Exception {
    send("PUT", "/api/dev/models/local-gpt", "{\"latencyMs\":4000}");
    send("PUT", "/api/dev/models/local-claude", "{\"latencyMs\":4000}");
    String taskId = createTask("{\"maxPapers\":1,\"note\":\"cancel me\"}");
    assertThat(step(taskId, "analyze")).hasAttribute("data-status", "running");
    assertThat(card(taskId).locator("[data-action=retry]")).isDisabled();

    card(taskId).locator("[data-action=cancel]").click();

    awaitStatus(taskId, "cancelled");
    assertThat(card(taskId).locator("[data-role=message]")).hasText("cancelled");
    assertThat(card(taskId).locator("[data-action=cancel]")).isDisabled();
    Locator retry = card(taskId).locator("[data-action=retry]");
    assertThat(retry).isEnabled();
    send("DELETE", "/api/dev/models/local-gpt", null);
    send("DELETE", "/api/dev/models/local-claude", null);

    retry.click();

    awaitStatus(taskId, "succeeded");
    JsonNode task = send("GET", "/api/tasks/" + taskId, null);
    assertThat(task.path("runs").get(0).path("status").asText()).isEqualTo("cancelled");
    assertThat(task.path("runs").get(1).path("startAt").asText()).isEqualTo("analyze");
    assertThat(task.path("steps").get(0).path("executions").asInt())
        .as("fetch_papers kept")
        .isEqualTo(1);
  }

  @Test
  @Order(4)
  void aRefusedRetry_showsTheServersMessage() throws Exception {
    send(
        "POST",
        "/api/dev/faults",
        "{\"step\":\"build_payload\",\"kind\":\"terminal\",\"times\":1}");
    String taskId = createTask("{\"maxPapers\":1,\"publish\":{\"target\":\"none\"}}");
    awaitStatus(taskId, "failed");
    expireCheckpoint(taskId, "STEP#1#analyze");

    step(taskId, "render_images").click();
    page.locator("#confirm-yes").click();

    assertThat(card(taskId).locator("[data-role=message]")).containsText("retry from analyze");
    assertThat(card(taskId).locator("[data-role=message]")).hasClass(Pattern.compile("error"));
    assertThat(card(taskId)).hasAttribute("data-status", "failed");
    assertThat(send("GET", "/api/tasks/" + taskId, null).path("retryCount").asInt()).isZero();
  }

  private void expireCheckpoint(String taskId, String sortKey) {
    // the runtime's own client: DynamoDB Local keeps a separate database per access key and region
    DynamoDbClient dynamo = runtime.context().getBean(DynamoDbClient.class);
    dynamo.updateItem(
        b ->
            b.tableName(LocalRuntime.TABLE)
                .key(
                    Map.of(
                        "PK",
                        AttributeValue.fromS("TASK#" + taskId),
                        "SK",
                        AttributeValue.fromS(sortKey)))
                .updateExpression("SET expiresAt = :past")
                .expressionAttributeValues(
                    Map.of(
                        ":past",
                        AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond() - 1)))));
  }

  // ---- untrusted text
  // ----------------------------------------------------------------------------------------

  @Test
  @Order(5)
  void aNoteWithMarkup_isShownAsText_andNothingInItRuns() throws Exception {
    String note =
        "<script>window.__pwned='script'</script><img src=x onerror=\"window.__pwned='img'\"> & <b>bold</b>";
    String taskId =
        createTask(
            JSON.writeValueAsString(
                Map.of("maxPapers", 1, "note", note, "publish", Map.of("target", "none"))));

    assertThat(card(taskId).locator(".note")).hasText(note);
    awaitStatus(taskId, "succeeded");
    assertThat(page.evaluate("() => window.__pwned === undefined")).isEqualTo(true);
    assertThat(page.locator("#tasks img")).hasCount(0);
    assertThat(page.locator("#tasks script")).hasCount(0);
    assertThat(page.locator("#tasks b")).hasCount(0);
  }

  // ---- batches
  // -----------------------------------------------------------------------------------------------

  @Test
  @Order(6)
  void batchView_countsProgress_andRetryAllFailedFinishesTheBatch() throws Exception {
    send("POST", "/api/dev/faults", "{\"step\":\"publish\",\"kind\":\"terminal\",\"times\":2}");
    page.locator("#batch-count").fill("3");
    page.locator("#start-batch").click();

    assertThat(page.locator("#start-message")).containsText("started batch of 3");
    Locator stats = page.locator("#batch-stats");
    assertThat(stats.locator("[data-stat=total]")).hasText("3");
    assertThat(stats.locator("[data-stat=failed]")).hasText("2");
    assertThat(stats.locator("[data-stat=succeeded]")).hasText("1");
    assertThat(page.locator("#retry-failed")).hasText("Retry all failed (2)");
    Browser.screenshot(page, "batch-with-failures");

    page.locator("#retry-failed").click();

    assertThat(page.locator("#batch-message")).containsText("retried 2, skipped 0");
    assertThat(stats.locator("[data-stat=succeeded]")).hasText("3");
    assertThat(stats.locator("[data-stat=failed]")).hasText("0");
    assertThat(page.locator("#retry-failed")).isDisabled();
  }

  @Test
  @Order(6)
  void batchView_listsFailedTasksWithStepAndReason_retriesOne_andKeepsTheHistory()
      throws Exception {
    send("POST", "/api/dev/faults", "{\"step\":\"publish\",\"kind\":\"terminal\",\"times\":1}");
    String batchId =
        send("POST", "/api/batches", "{\"count\":2,\"maxRunning\":1,\"task\":{\"maxPapers\":1}}")
            .path("batchId")
            .asText();
    page.locator("#batch-id").fill(batchId);
    page.locator("#open-batch").click();

    Locator stats = page.locator("#batch-stats");
    assertThat(stats.locator("[data-stat=failed]")).hasText("1");
    assertThat(stats.locator("[data-stat=succeeded]")).hasText("1");
    assertThat(page.locator("#batch-status .badge")).hasText("finished");
    assertThat(page.locator("#batch-status")).containsText("at most 1 running");
    assertThat(page.locator("#batch-pause")).isDisabled();
    assertThat(page.locator("#batch-cancel")).isDisabled();
    Locator failed = page.locator("#batch-failed li");
    assertThat(failed).hasCount(1);
    assertThat(failed).containsText("publish");
    assertThat(failed).containsText("TerminalStepException");

    failed.locator("button.retry-task").click();

    assertThat(page.locator("#batch-message")).containsText("retried");
    assertThat(stats.locator("[data-stat=succeeded]")).hasText("2");
    assertThat(page.locator("#batch-failed li")).hasCount(0);
    assertThat(page.locator("#batch-retries li")).hasCount(1);
    assertThat(page.locator("#batch-retries")).containsText("retried task");
  }

  @Test
  @Order(6)
  void batchView_pausesResumesAndCancels() throws Exception {
    // slow models keep the batch's first task running while the page steers it, however slowly the
    // page is driven (the cancel ends the wait; nothing waits for the answer)
    send("PUT", "/api/dev/models/local-gpt", "{\"latencyMs\":20000}");
    send("PUT", "/api/dev/models/local-claude", "{\"latencyMs\":20000}");
    String batchId =
        send("POST", "/api/batches", "{\"count\":3,\"maxRunning\":1,\"task\":{\"maxPapers\":1}}")
            .path("batchId")
            .asText();
    page.locator("#batch-id").fill(batchId);
    page.locator("#open-batch").click();
    assertThat(page.locator("#batch-status .badge")).hasText("running");
    assertThat(page.locator("#batch-resume")).isDisabled();

    page.locator("#batch-pause").click();
    assertThat(page.locator("#batch-status .badge")).hasText("paused");
    assertThat(page.locator("#batch-pause")).isDisabled();

    page.locator("#batch-resume").click();
    assertThat(page.locator("#batch-status .badge")).hasText("running");

    page.locator("#batch-cancel").click();
    assertThat(page.locator("#batch-message")).containsText("3 tasks cancelled");
    assertThat(page.locator("#batch-status .badge")).hasText("finished");
    assertThat(page.locator("#batch-stats [data-stat=cancelled]")).hasText("3");
    assertThat(page.locator("#batch-cancel")).isDisabled();
  }

  // ---- model health
  // ------------------------------------------------------------------------------------------
  // The first test goes through the real health endpoints and local model servers; the next two pin
  // the page
  // to the API contract (docs/api.md, docs/openapi.json) for cases the local servers cannot produce
  // on demand
  // (page.route).

  @Test
  @Order(7)
  void aModelMadeUnhealthy_showsARedCardAfterCheckNow_andRecovers() throws Exception {
    Locator gpt = page.locator("#health .card[data-model=local-gpt]");
    assertThat(gpt).hasAttribute("data-status", "healthy");

    send(
        "PUT", "/api/dev/models/local-gpt", "{\"status\":401}"); // a revoked key: unhealthy at once
    page.locator("#health-check").click();

    assertThat(gpt).hasAttribute("data-status", "unhealthy");
    assertThat(gpt.locator(".dot")).hasCSS("background-color", "rgb(214, 69, 69)"); // --failed, red
    assertThat(gpt.locator("[data-role=model-error]")).containsText("auth: HTTP 401");
    assertThat(page.locator("#health .card[data-model=local-claude]"))
        .hasAttribute("data-status", "healthy");
    // openai is configured but disabled locally (no key): named as such, not left an unexplained
    // "unknown"
    Locator openai = page.locator("#health .card[data-model=openai]");
    assertThat(openai).hasClass(Pattern.compile("\\bdisabled\\b"));
    assertThat(openai.locator("[data-role=model-state]")).hasText("openai-compatible · disabled");
    Browser.screenshot(page, "health-unhealthy-model");

    send("DELETE", "/api/dev/models/local-gpt", null);
    page.locator("#health-check").click();
    assertThat(gpt).hasAttribute("data-status", "healthy");
    assertThat(gpt.locator(".dot"))
        .hasCSS("background-color", "rgb(31, 157, 85)"); // --succeeded, green
  }

  @Test
  @Order(7)
  void anUnhealthyModel_raisesTheAlertBanner_namingTheRule_andItGoesWhenTheModelRecovers()
      throws Exception {
    Locator banner = page.locator("#alert-banner");
    assertThat(banner).isHidden();

    send("PUT", "/api/dev/models/local-gpt", "{\"status\":401}"); // unhealthy at once
    send("POST", "/api/models/health/check", null);

    assertThat(banner).isVisible();
    assertThat(banner.locator("li[data-rule=model-health]")).containsText("1 model unhealthy");
    Browser.screenshot(page, "alert-banner");

    send("DELETE", "/api/dev/models/local-gpt", null);
    send("POST", "/api/models/health/check", null);
    assertThat(banner).isHidden();
    JsonNode alerts = send("GET", "/api/alerts", null);
    List<String> events = new ArrayList<>();
    alerts
        .path("history")
        .forEach(e -> events.add(e.path("rule").asText() + " " + e.path("event").asText()));
    org.assertj.core.api.Assertions.assertThat(events)
        .contains("model-health fired", "model-health cleared", "model-health changed");
  }

  @Test
  @Order(7)
  void alertBanner_namesEveryActiveAlert_asText() {
    String alerts =
        """
        {"rules":[],"history":[],"active":[
         {"rule":"backlog","since":"2026-11-23T06:00:00.000Z","value":63,"threshold":50,"unit":"tasks"},
         {"rule":"slow-tasks","since":"2026-11-23T06:01:00.000Z","value":150000,"threshold":120000,"unit":"ms"}]}""";
    page.route(
        "**/api/alerts",
        r ->
            r.fulfill(
                new Route.FulfillOptions()
                    .setStatus(200)
                    .setContentType("application/json")
                    .setBody(alerts)));
    page.reload();

    Locator banner = page.locator("#alert-banner");
    assertThat(banner).isVisible();
    assertThat(banner.locator("b")).hasText("2 alerts");
    assertThat(banner.locator("li[data-rule=backlog]"))
        .hasText("backlog backlog: 63 tasks pending (over 50)");
    assertThat(banner.locator("li[data-rule=slow-tasks]"))
        .hasText("slow-tasks slow tasks: 150.0 s on average (over 120.0 s)");
  }

  @Test
  @Order(7)
  void healthPanel_whenTheEndpointIsMissing_saysTheDataIsUnavailable() {
    page.route(
        "**/api/models/health",
        r ->
            r.fulfill(
                new Route.FulfillOptions()
                    .setStatus(404)
                    .setContentType("application/problem+json")
                    .setBody(
                        "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"Not Found\"}")));
    page.reload();

    assertThat(page.locator("#health-unavailable")).containsText("Model health data unavailable");
    assertThat(page.locator("#health .card")).hasCount(0);
    assertThat(page.locator("#tasks-panel")).isVisible();
  }

  @Test
  @Order(8)
  void healthPanel_showsOneCardPerModel_withModelErrorsAsText() {
    String health =
        """
        {"checkedAt":"2026-11-23T06:00:00.000Z","intervalSeconds":60,"models":[
         {"name":"local-gpt","provider":"openai-compatible","status":"healthy","latencyMs":120,"emaLatencyMs":135.5,
          "successRate":1.0,"consecutiveFailures":0,"error":null,"quotaRemaining":4999,"lastCheck":"2026-11-23T06:00:00.000Z"},
         {"name":"local-claude","provider":"anthropic","status":"unhealthy","latencyMs":5000,"emaLatencyMs":2100,
          "successRate":0.25,"consecutiveFailures":3,"error":{"code":"http_503","message":"<img src=x onerror=\\"window.__pwned=1\\">overloaded"},
          "quotaRemaining":null,"lastCheck":"2026-11-23T06:00:00.000Z"}]}""";
    page.route(
        "**/api/models/health",
        r ->
            r.fulfill(
                new Route.FulfillOptions()
                    .setStatus(200)
                    .setContentType("application/json")
                    .setBody(health)));
    page.reload();

    assertThat(page.locator("#health .card")).hasCount(2);
    Locator claude = page.locator("#health .card[data-model=local-claude]");
    assertThat(claude).hasAttribute("data-status", "unhealthy");
    assertThat(claude.locator(".dot")).hasClass(Pattern.compile("unhealthy"));
    assertThat(claude.locator("[data-role=model-error]"))
        .hasText("http_503: <img src=x onerror=\"window.__pwned=1\">overloaded");
    assertThat(page.locator("#health img")).hasCount(0);
    assertThat(page.evaluate("() => window.__pwned === undefined")).isEqualTo(true);
    assertThat(page.locator("#health .card[data-model=local-gpt] .dot"))
        .hasClass(Pattern.compile("healthy"));
    assertThat(page.locator("#health-auto")).isChecked();
  }

  // ---- list
  // ----------------------------------------------------------------------------------------------------

  @Test
  @Order(9)
  void statusFilterAndPaging_showTheRightTasks() throws Exception {
    List<String> fillers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      fillers.add(
          createTask(
              "{\"maxPapers\":1,\"publish\":{\"target\":\"none\"},\"note\":\"filler " + i + "\"}"));
    }
    // settled first: a task that is still changing moves within the newest-first order
    fillers.forEach(id -> awaitStatus(id, "succeeded"));
    JsonNode failed = send("GET", "/api/tasks?status=failed&limit=100", null).path("items");
    assertThat(failed.size()).as("earlier tests left a failed task").isGreaterThanOrEqualTo(1);

    page.locator("#status-filter").selectOption("failed");
    assertThat(page.locator("article.task")).hasCount(failed.size());
    assertThat(page.locator("article.task[data-status=failed]")).hasCount(failed.size());

    page.locator("#status-filter").selectOption("");
    int total = send("GET", "/api/tasks?limit=100", null).path("items").size();
    assertThat(total).as("enough tasks for two pages").isGreaterThan(10);
    assertThat(page.locator("article.task")).hasCount(10);
    assertThat(page.locator("#newer")).isDisabled();
    String firstOnPage1 = page.locator("article.task").first().getAttribute("data-task-id");

    page.locator("#older").click();
    assertThat(page.locator("#page-label")).hasText("page 2");
    assertThat(page.locator("article.task[data-task-id='" + firstOnPage1 + "']")).hasCount(0);
    assertThat(page.locator("article.task")).hasCount(Math.min(10, total - 10));

    page.locator("#newer").click();
    assertThat(page.locator("#page-label")).hasText("page 1");
    assertThat(page.locator("article.task").first()).hasAttribute("data-task-id", firstOnPage1);
  }

  // ---- layout
  // ------------------------------------------------------------------------------------------------

  @Test
  @Order(10)
  void polls_revalidateWithIfNoneMatch_unchangedIs304_aChangeIsShown() throws Exception {
    List<String> stats = new CopyOnWriteArrayList<>();
    page.onResponse(
        r -> {
          if (r.url().endsWith("/api/tasks/stats")) {
            stats.add(
                r.status()
                    + (r.request().headers().containsKey("if-none-match")
                        ? " revalidated"
                        : " plain"));
          }
        });
    awaitPolls(stats, "304 revalidated");
    String id = createTask("{\"maxPapers\":1,\"note\":\"etag\"}");
    awaitPolls(stats, "200 revalidated");
    assertThat(card(id)).isVisible();
    assertThat(page.locator("#live")).not().hasClass(Pattern.compile("stale"));
  }

  private void awaitPolls(List<String> seen, String expected) {
    Instant deadline = Instant.now().plusSeconds(30);
    while (!seen.contains(expected) && Instant.now().isBefore(deadline)) {
      page.waitForTimeout(100);
    }
    assertThat(seen).as("the page's polls of the counts").contains(expected);
  }

  @Test
  @Order(11)
  void dashboard_fitsALaptopAndAPhone() throws Exception {
    createTask("{\"maxPapers\":1,\"note\":\"layout check\"}");
    page.reload();
    assertThat(page.locator("article.task").first()).isVisible();
    // the earlier tests finished tasks: the metrics panel shows their figures
    assertThat(page.locator("#metrics [data-metric=successRate] b"))
        .hasText(Pattern.compile("^\\d+\\.\\d %$"));
    assertThat(page.locator("#metrics [data-metric=p90] b"))
        .hasText(Pattern.compile("\\d+(\\.\\d)? m?s$"));
    assertThat(page.locator("#metrics table")).containsText("TerminalStepException");
    Browser.screenshot(page, "dashboard-laptop");
    assertThat(noHorizontalScroll(page)).as("laptop width").isTrue();

    Page phone = browser.page(390, 844);
    try {
      phone.navigate(runtime.api() + "/");
      assertThat(phone.locator("article.task").first()).isVisible();
      assertThat(phone.locator("article.task").first().locator("button.step")).hasCount(5);
      Browser.screenshot(phone, "dashboard-phone");
      assertThat(noHorizontalScroll(phone)).as("phone width").isTrue();
    } finally {
      phone.context().close();
    }
  }

  private static boolean noHorizontalScroll(Page p) {
    return (Boolean) p.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth");
  }
}
