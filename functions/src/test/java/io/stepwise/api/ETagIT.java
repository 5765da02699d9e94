package io.stepwise.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.testing.ApiClient;
import io.stepwise.testing.ApiClient.Response;
import io.stepwise.testing.LocalServicesBase;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cheap polling through the real API Lambda handler: the polled reads carry a weak ETag,
 * If-None-Match with it is a 304 with no body, a change gives a new tag, and the tag is per caller
 * so a body cached for one user never revalidates for another.
 */
@MicronautTest(environments = {"test", "scripted"})
class ETagIT extends LocalServicesBase {

  ApiClient api;

  @BeforeAll
  void client() {
    api = new ApiClient(context);
  }

  private Response get(String path, String ifNoneMatch, Map<String, String> claims) {
    return api.send(
        "GET",
        path,
        null,
        ifNoneMatch == null ? Map.of() : Map.of("If-None-Match", ifNoneMatch),
        claims);
  }

  private String created(Map<String, String> claims) {
    Response r =
        claims == null ? api.post("/api/tasks", "{}") : api.postAs("/api/tasks", "{}", claims);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.text("taskId");
  }

  @Test
  void everyPolledRead_matchingIfNoneMatch_is304WithNoBody() {
    String id = created(null);
    String batch = api.post("/api/batches", "{\"count\":2}").text("batchId");
    for (String path :
        new String[] {
          "/api/tasks/" + id,
          "/api/tasks?limit=10",
          "/api/tasks/stats",
          "/api/tasks/" + id + "/checkpoint",
          "/api/batches/" + batch,
          "/api/models/health"
        }) {
      Response first = get(path, null, null);
      assertThat(first.status()).as(path).isEqualTo(200);
      String tag = first.header("ETag");
      assertThat(tag).as(path).matches("W/\"[A-Za-z0-9_-]{24}\"");
      assertThat(first.header("Cache-Control")).as(path).isEqualTo("no-store");
      assertThat(first.header("Vary")).as(path).isEqualTo("Authorization");
      Response again = get(path, tag, null);
      assertThat(again.status()).as(path).isEqualTo(304);
      assertThat(again.body() == null ? "" : again.body()).as(path).isEmpty();
      assertThat(again.header("ETag")).as(path).isEqualTo(tag);
      assertThat(again.header("Cache-Control")).as(path).isEqualTo("no-store");
      assertThat(again.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
      assertThat(get(path, "W/\"other\", " + tag, null).status())
          .as("a list naming it: " + path)
          .isEqualTo(304);
      assertThat(get(path, "W/\"other\"", null).status()).as("a stale tag: " + path).isEqualTo(200);
    }
  }

  @Test
  void aChange_givesA200WithANewTag() {
    String id = created(null);
    Response before = get("/api/tasks/" + id, null, null);
    Response cancelled = api.post("/api/tasks/" + id + "/cancel", null);
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(202);
    Response after = get("/api/tasks/" + id, before.header("ETag"), null);
    assertThat(after.status()).isEqualTo(200);
    assertThat(after.text("status")).isEqualTo("cancelled");
    assertThat(after.header("ETag")).isNotEqualTo(before.header("ETag"));
  }

  @Test
  void theTag_isPerCaller_soOneUsersCachedBodyNeverRevalidatesForAnother() {
    long n = System.nanoTime();
    Map<String, String> alice = Map.of("sub", "alice-" + n);
    Map<String, String> bob = Map.of("sub", "bob-" + n);
    Map<String, String> operator =
        Map.of("sub", "op-" + n, "cognito:groups", "[stepwise-operators]");
    String id = created(alice);
    Response mine = get("/api/tasks/" + id, null, alice);
    assertThat(mine.status()).isEqualTo(200);
    Response theirs = get("/api/tasks/" + id, mine.header("ETag"), bob);
    assertThat(theirs.status()).as("another user's task is a 404, tag or not").isEqualTo(404);
    assertThat(theirs.header("ETag")).isNull();
    Response operators = get("/api/tasks/" + id, mine.header("ETag"), operator);
    assertThat(operators.status())
        .as("the same body, another caller: a full answer")
        .isEqualTo(200);
    assertThat(operators.body()).isEqualTo(mine.body());
    assertThat(operators.header("ETag")).isNotEqualTo(mine.header("ETag"));
    // Two users' empty lists are byte-identical bodies; their tags still differ.
    Response alicesList = get("/api/tasks?status=failed", null, alice);
    Response bobsList = get("/api/tasks?status=failed", null, bob);
    assertThat(alicesList.body()).isEqualTo(bobsList.body());
    assertThat(get("/api/tasks?status=failed", alicesList.header("ETag"), bob).status())
        .isEqualTo(200);
  }

  @Test
  void writesAndErrors_carryNoTag() {
    Response created = api.post("/api/tasks", "{}");
    assertThat(created.header("ETag")).isNull();
    Response missing = get("/api/tasks/no-such-task", "*", null);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.header("ETag")).isNull();
    assertThat(missing.header("Cache-Control")).isEqualTo("no-store");
  }
}
