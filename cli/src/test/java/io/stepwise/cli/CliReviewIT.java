package io.stepwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepwise.local.LocalRuntime;
import io.stepwise.local.Options;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The review commands against the real local runtime: {@code start --review} holds a digest task at
 * {@code awaiting_review}, {@code review list} shows it, {@code edit} prints every rule a refused
 * output breaks (exit 3, nothing stored) and stores one that keeps them, {@code review approve}
 * publishes the edit, {@code review reject} publishes nothing and {@code watch} exits 6.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliReviewIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private LocalRuntime runtime;
  private URI api;

  @BeforeAll
  void start() {
    runtime = LocalRuntime.start(Options.ephemeral(0.001));
    api = runtime.api();
  }

  @AfterAll
  void stop() {
    runtime.close();
  }

  private CliRun cli(String... args) {
    return CliRun.of(api, args);
  }

  private JsonNode json(String... args) throws Exception {
    CliRun run = cli(args);
    assertThat(run.exit()).as("%s", run).isZero();
    return JSON.readTree(run.out());
  }

  private String reviewedTask() throws Exception {
    String id =
        json("--json", "start", "paper-digest", "--maxPapers", "1", "--review")
            .path("taskId")
            .asText();
    Dev.awaitStatus(api, id, "awaiting_review");
    return id;
  }

  private JsonNode underReview(String id) throws Exception {
    return Dev.send(api, "GET", "/api/tasks/" + id + "/checkpoint", null)
        .path("steps")
        .path("build_payload");
  }

  private Path file(JsonNode output) throws Exception {
    Path file = Files.createTempFile("output", ".json");
    file.toFile().deleteOnExit();
    Files.writeString(file, JSON.writeValueAsString(output));
    return file;
  }

  @Test
  void startWithReview_holdsTheTask_andListGetAndReviewListShowIt() throws Exception {
    String id = reviewedTask();

    CliRun queue = cli("review", "list");
    assertThat(queue.exit()).as("%s", queue).isZero();
    assertThat(queue.out())
        .startsWith("TASK ")
        .containsPattern(id + " +paper-digest +build_payload +\\S+Z +\\S+Z");
    assertThat(json("--json", "review", "list", "--pipeline", "paper-digest").path("items"))
        .anySatisfy(t -> assertThat(t.path("taskId").asText()).isEqualTo(id));

    CliRun get = cli("get", id);
    assertThat(get.out())
        .contains("task " + id + "  paper-digest  awaiting_review")
        .containsPattern("\\nreview: build_payload since \\S+Z, decide by \\S+Z\\n");
    assertThat(cli("list", "--status", "awaiting_review").out())
        .containsPattern(id + " +paper-digest +awaiting_review ");

    String plain =
        json("--json", "start", "paper-digest", "--maxPapers", "1", "--no-review")
            .path("taskId")
            .asText();
    Dev.awaitStatus(api, plain, "succeeded");
    assertThat(cli("review", "list").out()).doesNotContain(plain);
    assertThat(cli("cancel", id).exit()).isZero();
  }

  @Test
  void edit_printsEveryBrokenRule_storesNothing_thenAKeptEditIsPublishedAfterApprove()
      throws Exception {
    String id = reviewedTask();
    JsonNode original = underReview(id).path("output");
    ObjectNode bad = original.deepCopy();
    ((ObjectNode) bad.path("posts").get(0)).put("title", "x".repeat(22));
    ((ObjectNode) bad.path("posts").get(0)).putArray("images");

    CliRun refused = cli("edit", id, "build_payload", "--file", file(bad).toString());
    assertThat(refused.exit()).as("%s", refused).isEqualTo(3);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err())
        .startsWith(
            "stepwise: 422 Unprocessable Entity: the new output of build_payload breaks 2 rules;"
                + " nothing was stored: ")
        .contains("\n  - posts[0].title has 22 characters; rednote allows 20\n")
        .contains("\n  - posts[0].images has 0; rednote needs 1 to 9\n");
    assertThat(underReview(id).path("output")).isEqualTo(original);
    assertThat(underReview(id).path("edits").size()).isZero();

    ObjectNode good = original.deepCopy();
    ((ObjectNode) good.path("posts").get(0)).put("title", "Edited from the CLI");
    int published = runtime.mcp().calls().size();
    CliRun edited = cli("edit", id, "build_payload", "--file", file(good).toString());
    assertThat(edited.exit()).as("%s", edited).isZero();
    assertThat(edited.out())
        .isEqualTo("edited build_payload of " + id + "; 1 edit, the original stays under run r0\n");

    CliRun approved = cli("review", "approve", id, "--comment", "fixed the title");
    assertThat(approved.exit()).as("%s", approved).isZero();
    assertThat(approved.out()).matches("approved " + id + " \\((running|succeeded)\\)\\n");
    assertThat(cli("watch", id, "--interval", "50").exit()).isZero();
    assertThat(runtime.mcp().calls().size() - published).isEqualTo(1);
    assertThat(runtime.mcp().calls().get(runtime.mcp().calls().size() - 1).arguments().toString())
        .contains("Edited from the CLI");
    assertThat(cli("get", id).out())
        .containsPattern(
            "\\nreview: build_payload since \\S+Z; approved at \\S+Z: fixed the title\\n");

    CliRun again = cli("review", "approve", id);
    assertThat(again.exit()).as("a second decision").isEqualTo(3);
    assertThat(again.err()).startsWith("stepwise: 409 ");
  }

  @Test
  void reject_publishesNothing_andWatchExitsSix() throws Exception {
    String id = reviewedTask();
    int published = runtime.mcp().calls().size();
    CliRun rejected = cli("review", "reject", id, "--comment", "off topic");
    assertThat(rejected.exit()).as("%s", rejected).isZero();
    assertThat(rejected.out()).isEqualTo("rejected " + id + " (rejected)\n");
    assertThat(json("--json", "get", id).path("review").path("comment").asText())
        .isEqualTo("off topic");
    assertThat(cli("watch", id).exit()).isEqualTo(Stepwise.EXIT_REJECTED);
    Thread.sleep(300); // the execution ends with the rejection: nothing after it may run
    assertThat(runtime.mcp().calls().size()).isEqualTo(published);
  }

  @Test
  void edit_needsAReadableJsonObject_isWrongUsageOtherwise() throws Exception {
    CliRun missing = cli("edit", "some-task", "build_payload", "--file", "/no/such/file.json");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("--file /no/such/file.json is not readable JSON");
    CliRun list =
        cli(
            "edit",
            "some-task",
            "build_payload",
            "--file",
            file(JSON.createArrayNode()).toString());
    assertThat(list.exit()).isEqualTo(2);
    assertThat(list.err()).contains("must hold one JSON object");
    assertThat(cli("edit", "some-task", "build_payload").exit())
        .as("--file is required")
        .isEqualTo(2);
  }
}
