package io.stepwise.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.lifecycle.ExecutionError;
import io.stepwise.lifecycle.TaskLifecycle;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.testing.ApiClient;
import io.stepwise.testing.ApiClient.Response;
import io.stepwise.testing.DigestServicesBase;
import io.stepwise.testing.StepDriver;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md, "Tenancy", through the real API Lambda handler: requests carry the claims
 * API Gateway's JWT authorizer passes after verifying a token. Another user's task or batch is a
 * 404 identical to an unknown id's and nothing changes; operators see and act on everything;
 * without claims the API stays open.
 */
@MicronautTest(environments = {"test", "scripted"})
class TenancyIT extends DigestServicesBase {

  private static final AtomicInteger CROSS_USER_REQUESTS = new AtomicInteger();

  ApiClient api;
  StepDriver driver;
  TaskLifecycle lifecycle;
  Map<String, String> alice;
  Map<String, String> bob;
  Map<String, String> operator;

  @BeforeAll
  void clients() {
    api = new ApiClient(context);
    driver = new StepDriver(context);
    lifecycle = context.getBean(TaskLifecycle.class);
  }

  @AfterAll
  static void report() {
    System.out.println(
        "TenancyIT: "
            + CROSS_USER_REQUESTS.get()
            + " cross-user requests, each a 404 like an unknown id's");
  }

  /**
   * Fresh users per test: the table is shared across the class, so counts are exact for these subs
   * only.
   */
  @BeforeEach
  void users() {
    long n = System.nanoTime();
    alice = Map.of("sub", "alice-" + n, "cognito:groups", "[readers]");
    bob = Map.of("sub", "bob-" + n);
    operator = Map.of("sub", "op-" + n, "cognito:groups", "[readers stepwise-operators]");
    sfn.clearFailures();
  }

  private String createdBy(Map<String, String> claims) {
    Response r = api.postAs("/api/tasks", "{}", claims);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.text("taskId");
  }

  private String failedTaskOf(Map<String, String> claims) {
    String id = createdBy(claims);
    steps.on(
        PaperDigest.ANALYZE,
        c -> {
          throw new TerminalStepException("boom");
        });
    try {
      driver.runFrom(id, "r0", PaperDigest.FETCH_PAPERS);
    } catch (TerminalStepException expected) {
      lifecycle.recordFailure(
          id, "r0", 0, new ExecutionError("TerminalStepException", expected.getMessage()));
    }
    steps.reset();
    return id;
  }

  /**
   * A cross-user request must answer exactly what an unknown id answers, with only the id
   * differing.
   */
  private void assertHidden(Response r, String id, Response unknown, String unknownId) {
    CROSS_USER_REQUESTS.incrementAndGet();
    assertThat(r.status()).as(r.body()).isEqualTo(404);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.body().replace(id, "<id>")).isEqualTo(unknown.body().replace(unknownId, "<id>"));
  }

  private long starts(String taskId) {
    return sfn.calls("StartExecution").stream()
        .filter(c -> c.body().get("name").asText().startsWith(taskId))
        .count();
  }

  private long stops(String taskId) {
    return sfn.calls("StopExecution").stream()
        .filter(c -> c.body().get("executionArn").asText().contains(taskId))
        .count();
  }

  private static Set<String> ids(JsonNode items) {
    Set<String> ids = new HashSet<>();
    items.values().forEach(t -> ids.add(t.get("taskId").getStringValue()));
    return ids;
  }

  @Test
  void otherUser_getsTheUnknownIdAnswer_forEveryTaskRoute_andNothingChanges() {
    String failed = failedTaskOf(alice);
    String running = createdBy(alice);
    Response beforeFailed = api.getAs("/api/tasks/" + failed, alice);
    Response beforeRunning = api.getAs("/api/tasks/" + running, alice);
    long startsBefore = starts(failed) + starts(running);
    String unknown = "00000000-0000-0000-0000-000000000000";

    for (String route : List.of("", "/checkpoint")) {
      assertHidden(
          api.getAs("/api/tasks/" + failed + route, bob),
          failed,
          api.getAs("/api/tasks/" + unknown + route, bob),
          unknown);
    }
    for (String route : List.of("/retry", "/retry/analyze", "/retry/fetch_papers", "/cancel")) {
      assertHidden(
          api.send("POST", "/api/tasks/" + failed + route, null, Map.of(), bob),
          failed,
          api.send("POST", "/api/tasks/" + unknown + route, null, Map.of(), bob),
          unknown);
    }
    assertHidden(
        api.send("POST", "/api/tasks/" + running + "/cancel", null, Map.of(), bob),
        running,
        api.send("POST", "/api/tasks/" + unknown + "/cancel", null, Map.of(), bob),
        unknown);

    assertThat(api.getAs("/api/tasks/" + failed, alice).body()).isEqualTo(beforeFailed.body());
    assertThat(api.getAs("/api/tasks/" + running, alice).body()).isEqualTo(beforeRunning.body());
    assertThat(starts(failed) + starts(running)).isEqualTo(startsBefore);
    assertThat(stops(running)).isZero();
  }

  @Test
  void owner_seesAndActsOnOwnTasks() {
    String failed = failedTaskOf(alice);
    String running = createdBy(alice);

    assertThat(api.getAs("/api/tasks/" + failed, alice).status()).isEqualTo(200);
    assertThat(api.getAs("/api/tasks/" + failed + "/checkpoint", alice).status()).isEqualTo(200);
    assertThat(api.send("POST", "/api/tasks/" + failed + "/retry", null, Map.of(), alice).status())
        .isEqualTo(202);
    assertThat(
            api.send("POST", "/api/tasks/" + running + "/cancel", null, Map.of(), alice).status())
        .isEqualTo(202);
  }

  @Test
  void list_showsOnlyTheCallersTasks_andPagesThroughThemWithLimitAndCursor() {
    Set<String> bobs = new HashSet<>(List.of(createdBy(bob), createdBy(bob), createdBy(bob)));
    for (int i = 0; i < 4; i++) {
      createdBy(alice); // newer than all of bob's: a filtered page must skip past them
    }

    Response all = api.getAs("/api/tasks?limit=100", bob);
    assertThat(ids(all.json().get("items"))).isEqualTo(bobs);

    Set<String> paged = new HashSet<>();
    List<Integer> sizes = new ArrayList<>();
    String cursor = null;
    do {
      Response page =
          api.getAs("/api/tasks?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), bob);
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      sizes.add(page.json().get("items").size());
      paged.addAll(ids(page.json().get("items")));
      cursor = page.text("nextCursor");
    } while (cursor != null);
    assertThat(paged).isEqualTo(bobs);
    assertThat(sizes).containsExactly(2, 1);

    Response running = api.getAs("/api/tasks?status=running&limit=100", bob);
    assertThat(ids(running.json().get("items"))).isEqualTo(bobs);
  }

  @Test
  void stats_countOnlyTheCallersTasks() {
    failedTaskOf(alice);
    createdBy(alice);
    createdBy(bob);

    JsonNode bobs = api.getAs("/api/tasks/stats", bob).json();
    assertThat(bobs.get("running").getLongValue()).isEqualTo(1);
    assertThat(bobs.get("failed").getLongValue()).isZero();
    JsonNode alices = api.getAs("/api/tasks/stats", alice).json();
    assertThat(alices.get("running").getLongValue()).isEqualTo(1);
    assertThat(alices.get("failed").getLongValue()).isEqualTo(1);
  }

  @Test
  void metrics_coverOnlyTheCallersTasks() {
    failedTaskOf(alice);
    failedTaskOf(alice);

    assertThat(api.getAs("/api/metrics", bob).json().get("failed").getLongValue()).isZero();
    assertThat(api.getAs("/api/metrics", alice).json().get("failed").getLongValue()).isEqualTo(2);
    assertThat(api.getAs("/api/metrics", operator).json().get("failed").getLongValue())
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void otherUser_cannotReadOrRetryAnothersBatch() {
    Response created = api.postAs("/api/batches", "{\"count\":2}", alice);
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    String batchId = created.text("batchId");
    String unknown = "00000000-0000-0000-0000-000000000000";
    long startsBefore = sfn.calls("StartExecution").size();

    for (String route : List.of("", "/failed")) {
      assertHidden(
          api.getAs("/api/batches/" + batchId + route, bob),
          batchId,
          api.getAs("/api/batches/" + unknown + route, bob),
          unknown);
    }
    assertHidden(
        api.send("POST", "/api/batches/" + batchId + "/retry-failed", null, Map.of(), bob),
        batchId,
        api.send("POST", "/api/batches/" + unknown + "/retry-failed", null, Map.of(), bob),
        unknown);
    for (JsonNode taskId : created.json().get("taskIds").values()) {
      String id = taskId.getStringValue();
      assertHidden(
          api.getAs("/api/tasks/" + id, bob), id, api.getAs("/api/tasks/" + unknown, bob), unknown);
    }
    assertThat(sfn.calls("StartExecution")).hasSize((int) startsBefore);

    Response own = api.getAs("/api/batches/" + batchId, alice);
    assertThat(own.status()).isEqualTo(200);
    assertThat(own.json().get("total").getIntValue()).isEqualTo(2);
    assertThat(api.postAs("/api/batches", "{\"count\":1}", bob).status()).isEqualTo(202);
    assertThat(api.getAs("/api/tasks?limit=100", bob).json().get("items").size()).isEqualTo(1);
  }

  @Test
  void operator_seesAndActsOnEveryonesTasksAndBatches() {
    String failed = failedTaskOf(alice);
    String running = createdBy(bob);
    String batchId = api.postAs("/api/batches", "{\"count\":1}", alice).text("batchId");

    assertThat(api.getAs("/api/tasks/" + failed, operator).status()).isEqualTo(200);
    assertThat(api.getAs("/api/tasks/" + failed + "/checkpoint", operator).status()).isEqualTo(200);
    assertThat(api.getAs("/api/batches/" + batchId, operator).status()).isEqualTo(200);
    assertThat(api.getAs("/api/batches/" + batchId + "/failed", operator).status()).isEqualTo(200);
    assertThat(ids(api.getAs("/api/tasks?limit=100", operator).json().get("items")))
        .contains(failed, running);
    JsonNode stats = api.getAs("/api/tasks/stats", operator).json();
    assertThat(stats.get("failed").getLongValue()).isGreaterThanOrEqualTo(1);
    assertThat(stats.get("running").getLongValue()).isGreaterThanOrEqualTo(2);

    Response retried =
        api.send("POST", "/api/tasks/" + failed + "/retry", null, Map.of(), operator);
    assertThat(retried.status()).as(retried.body()).isEqualTo(202);
    assertThat(retried.text("retryCount")).isEqualTo("1");
    assertThat(
            api.send("POST", "/api/tasks/" + running + "/cancel", null, Map.of(), operator)
                .status())
        .isEqualTo(202);
    assertThat(api.getAs("/api/tasks/" + running, bob).text("status")).isEqualTo("cancelled");
  }

  @Test
  void operator_isRecognisedByThePlainGroupsClaimToo() {
    String task = createdBy(alice);
    Map<String, String> other =
        Map.of("sub", "op2-" + System.nanoTime(), "groups", "[\"stepwise-operators\"]");
    assertThat(api.getAs("/api/tasks/" + task, other).status()).isEqualTo(200);
    Map<String, String> lookalike =
        Map.of("sub", "x-" + System.nanoTime(), "groups", "[stepwise-operators-not]");
    assertThat(api.getAs("/api/tasks/" + task, lookalike).status()).isEqualTo(404);
  }

  @Test
  void openMode_withoutClaims_seesAndActsOnEverything() {
    String failed = failedTaskOf(alice);
    String running = createdBy(bob);

    assertThat(api.get("/api/tasks/" + failed).status()).isEqualTo(200);
    assertThat(api.get("/api/tasks/" + failed + "/checkpoint").status()).isEqualTo(200);
    assertThat(ids(api.get("/api/tasks?limit=100").json().get("items"))).contains(failed, running);
    assertThat(api.post("/api/tasks/" + failed + "/retry", null).status()).isEqualTo(202);
    assertThat(api.post("/api/tasks/" + running + "/cancel", null).status()).isEqualTo(202);
    // A task created without claims has no owner: signed-in users do not see it, operators do.
    String open = api.post("/api/tasks", "{}").text("taskId");
    assertThat(api.getAs("/api/tasks/" + open, bob).status()).isEqualTo(404);
    assertThat(api.getAs("/api/tasks/" + open, operator).status()).isEqualTo(200);
  }
}
