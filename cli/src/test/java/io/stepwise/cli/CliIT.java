package io.stepwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.local.LocalRuntime;
import io.stepwise.local.Options;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every command of the CLI against the real local runtime (DynamoDB Local, the emulator, the five
 * real steps), in human form and with {@code --json}: problems as one line with exit 3, a failed
 * task's watch exits 1, a cancelled one's 5, an API that is not there 4. The packaged jar runs once
 * as a separate process with its output piped (not a terminal).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private LocalRuntime runtime;
  private URI api;

  @BeforeAll
  void start() {
    // one paper at a time: analyze's progress moves visibly under a slowed model
    runtime =
        LocalRuntime.start(
            Options.ephemeral(0.001),
            Map.of("stepwise.pipelines.paper-digest.steps.analyze.concurrency", "1"));
    api = runtime.api();
  }

  @AfterAll
  void stop() {
    runtime.close();
  }

  @AfterEach
  void clearFaults() throws Exception {
    Dev.send(api, "DELETE", "/api/dev/faults", null);
    Dev.send(api, "DELETE", "/api/dev/models/local-gpt", null);
    Dev.send(api, "DELETE", "/api/dev/models/local-claude", null);
  }

  private CliRun cli(String... args) {
    return CliRun.of(api, args);
  }

  private JsonNode json(String... args) throws Exception {
    CliRun run = cli(args);
    assertThat(run.exit()).as("%s", run).isZero();
    return JSON.readTree(run.out());
  }

  private void slowModels(int ms) throws Exception {
    Dev.send(api, "PUT", "/api/dev/models/local-gpt", "{\"latencyMs\":" + ms + "}");
    Dev.send(api, "PUT", "/api/dev/models/local-claude", "{\"latencyMs\":" + ms + "}");
  }

  @Test
  void start_typesFieldOptionsAndSets_byTheSchema_andGetShowsTheTask() throws Exception {
    JsonNode task =
        json(
            "--json",
            "start",
            "paper-digest",
            "--maxPapers",
            "1",
            "--language=en",
            "--set",
            "query.days=3",
            "--set",
            "query.keywords=agents,planning",
            "--note",
            "42");
    JsonNode input = task.path("input");
    assertThat(input.path("maxPapers").isInt()).as("%s", input).isTrue();
    assertThat(input.path("language").asText()).isEqualTo("en");
    assertThat(input.path("query").path("days").asInt()).isEqualTo(3);
    assertThat(input.path("query").path("keywords")).hasSize(2);
    assertThat(input.path("note").isTextual()).as("a string field stays a string").isTrue();
    String id = task.path("taskId").asText();

    CliRun human = cli("start", "paper-digest", "--maxPapers", "1");
    assertThat(human.exit()).isZero();
    assertThat(human.out())
        .matches("started [0-9a-f-]{36} \\(paper-digest, (running|pending)\\)\\s*");

    Dev.awaitStatus(api, id, "succeeded");
    CliRun get = cli("get", id);
    assertThat(get.exit()).as("%s", get).isZero();
    assertThat(get.out()).contains("task " + id + "  paper-digest  succeeded");
    for (String step :
        List.of("fetch_papers", "analyze", "render_images", "build_payload", "publish")) {
      assertThat(get.out()).containsPattern("\\n  " + step + " +succeeded +1 ");
    }
    JsonNode usage = json("get", id, "--json").path("usage");
    assertThat(usage.path("calls").asInt()).isPositive();
    assertThat(get.out())
        .containsPattern("\\n  analyze +succeeded +1 +\\d+\\.\\d s +\\S+ +\\$0\\.\\d+ ")
        .contains(
            "usage: "
                + usage.path("calls").asInt()
                + " calls, "
                + usage.path("inputTokens").asLong()
                + " tokens in, "
                + usage.path("outputTokens").asLong()
                + " out, $")
        .contains("; saved by reuse $0.0000");
    assertThat(json("get", id, "--json").path("taskId").asText()).isEqualTo(id);
  }

  @Test
  void watch_showsEachStepAndAnalyzesProgress_asPlainLines_andExitsZeroOnSuccess()
      throws Exception {
    // 8 papers, 4 at a time, 500 ms a call: analyze shows 4/8 for half a second of 50 ms polls
    slowModels(500);
    String id = json("--json", "start", "paper-digest", "--maxPapers", "8").path("taskId").asText();
    CliRun watch = cli("watch", id, "--interval", "50");
    assertThat(watch.exit()).as("%s", watch).isZero();
    assertThat(watch.out()).doesNotContain("\033[");
    assertThat(watch.out()).containsPattern("analyze +\\[#*\\.+\\] running +[1-9]\\d*/\\d+");
    for (String step :
        List.of("fetch_papers", "analyze", "render_images", "build_payload", "publish")) {
      assertThat(watch.out()).containsPattern(step + " +\\[#{20}\\] succeeded +\\d+\\.\\d s");
    }
    String[] lines = watch.out().strip().split("\n");
    assertThat(lines[lines.length - 1]).endsWith("task " + id + " paper-digest succeeded");

    CliRun frame = CliRun.of(api, Map.of(), true, "watch", id);
    assertThat(frame.exit()).isZero();
    assertThat(frame.out()).contains("\033[2K").contains("█".repeat(20) + " succeeded");
  }

  @Test
  void aFailingTask_watchExitsOne_retryResumesIt_andARerunTakesOverrides() throws Exception {
    Dev.send(api, "POST", "/api/dev/faults", "{\"step\":\"render_images\",\"kind\":\"terminal\"}");
    String id = json("--json", "start", "paper-digest", "--maxPapers", "1").path("taskId").asText();
    CliRun failed = cli("watch", id, "--interval", "50");
    assertThat(failed.exit()).as("%s", failed).isEqualTo(1);
    assertThat(failed.out())
        .containsPattern("render_images +\\[\\.{20}\\] failed")
        .contains("error: render_images TerminalStepException")
        .contains("task " + id + " paper-digest failed");
    assertThat(cli("get", id).out()).contains("resumable: stepwise retry " + id);

    CliRun retry = cli("retry", id);
    assertThat(retry.exit()).as("%s", retry).isZero();
    assertThat(retry.out()).contains("retrying " + id + " from render_images (run r1)");
    assertThat(cli("watch", id, "--interval", "50").exit()).isZero();

    JsonNode rerun =
        json("--json", "retry", id, "--from", "build_payload", "--set", "publish.target=none");
    assertThat(rerun.path("runs").get(2).path("startAt").asText()).isEqualTo("build_payload");
    assertThat(rerun.path("runs").get(2).path("overrides").path("publish").path("target").asText())
        .isEqualTo("none");
    assertThat(cli("watch", id, "--json", "--interval", "50").exit()).isZero();
  }

  @Test
  void cancel_stopsARunningTask_andItsWatchExitsFive() throws Exception {
    slowModels(3000);
    String id = json("--json", "start", "paper-digest", "--maxPapers", "1").path("taskId").asText();
    CliRun cancel = cli("cancel", id);
    assertThat(cancel.exit()).as("%s", cancel).isZero();
    assertThat(cancel.out()).isEqualTo("cancelled " + id + " (cancelled)\n");
    CliRun watch = cli("watch", id);
    assertThat(watch.exit()).isEqualTo(5);
    assertThat(watch.out()).contains("task " + id + " paper-digest cancelled");
  }

  @Test
  void watchJson_printsEachNewStateOfTheTask_asTheApiSentIt() throws Exception {
    String id = json("--json", "start", "paper-digest", "--maxPapers", "1").path("taskId").asText();
    CliRun watch = cli("--json", "watch", id, "--interval", "50");
    assertThat(watch.exit()).isZero();
    String[] lines = watch.out().strip().split("\n");
    for (String line : lines) {
      assertThat(JSON.readTree(line).path("taskId").asText()).isEqualTo(id);
    }
    assertThat(JSON.readTree(lines[lines.length - 1]).path("status").asText())
        .isEqualTo("succeeded");
    assertThat(List.of(lines)).doesNotHaveDuplicates();
  }

  @Test
  void list_filtersByStatus_inBothForms() throws Exception {
    String id = json("--json", "start", "paper-digest", "--maxPapers", "1").path("taskId").asText();
    Dev.awaitStatus(api, id, "succeeded");
    CliRun human = cli("list", "--status", "succeeded", "--limit", "50");
    assertThat(human.exit()).isZero();
    assertThat(human.out())
        .startsWith("TASK ")
        .containsPattern(id + " +paper-digest +succeeded +publish");
    JsonNode page = json("list", "--status", "succeeded", "--json");
    assertThat(page.path("items").findValuesAsText("taskId")).contains(id);
    page.path("items").forEach(t -> assertThat(t.path("status").asText()).isEqualTo("succeeded"));
    assertThat(cli("list", "--status", "cancelled", "--limit", "1").exit()).isZero();
    JsonNode reports = json("list", "--pipeline", "research-report", "--json");
    assertThat(reports.path("items").findValuesAsText("taskId")).doesNotContain(id);
    reports
        .path("items")
        .forEach(t -> assertThat(t.path("pipeline").asText()).isEqualTo("research-report"));
    assertThat(
            json("list", "--pipeline", "paper-digest", "--status", "succeeded", "--json")
                .path("items")
                .findValuesAsText("taskId"))
        .contains(id);
    assertThat(cli("list", "--pipeline", "nope").exit()).as("the API's 400").isEqualTo(3);
  }

  @Test
  void batch_startsCountsAndRecovers() throws Exception {
    CliRun started = cli("batch", "start", "paper-digest", "--count", "2", "--maxPapers", "1");
    assertThat(started.exit()).as("%s", started).isZero();
    assertThat(started.out()).containsPattern("started batch [0-9a-f-]{36} \\(2 tasks\\)");
    String batchId = started.out().split(" ")[2];
    JsonNode batch = json("--json", "batch", "get", batchId);
    assertThat(batch.path("total").asInt()).isEqualTo(2);
    for (JsonNode taskId : batch.path("taskIds")) {
      Dev.awaitStatus(api, taskId.asText(), "succeeded");
    }
    assertThat(cli("batch", "get", batchId).out())
        .startsWith("batch " + batchId + "  2 tasks: ")
        .contains("succeeded 2");
    assertThat(cli("batch", "failed", batchId).out()).isEqualTo("no tasks\n");
    assertThat(cli("batch", "retry-failed", batchId).out()).startsWith("retried 0, skipped 0");

    Path file = Files.createTempFile("tasks", ".json");
    Files.writeString(
        file,
        "[{\"pipeline\":\"paper-digest\",\"maxPapers\":1},{\"maxPapers\":1,\"language\":\"en\"}]");
    assertThat(json("--json", "batch", "start", "--file", file.toString()).path("taskIds"))
        .hasSize(2);
    // as docs/cli.md shows it: the pipeline named once for a file of bodies that name none
    Files.writeString(file, "[{\"maxPapers\":1},{\"maxPapers\":1,\"language\":\"en\"}]");
    JsonNode named = json("--json", "batch", "start", "paper-digest", "--file", file.toString());
    assertThat(named.path("taskIds")).hasSize(2);
    Files.writeString(file, "[{\"pipeline\":\"research-report\",\"topic\":\"x\"}]");
    CliRun other = cli("batch", "start", "paper-digest", "--file", file.toString());
    assertThat(other.exit()).isEqualTo(2);
    assertThat(other.err()).contains("task 0 names pipeline \"research-report\", not paper-digest");
    Files.writeString(file, "{\"maxPapers\":1}");
    assertThat(cli("batch", "start", "--file", file.toString()).err())
        .contains("--file must hold a JSON array of task bodies");
    CliRun neither = cli("batch", "start", "paper-digest");
    assertThat(neither.exit()).isEqualTo(2);
    assertThat(neither.err()).contains("give exactly one of --count N or --file FILE");
  }

  @Test
  void batch_limitsPausesResumesAndCancels() throws Exception {
    slowModels(3000); // the batch still runs while the commands steer it
    JsonNode started =
        json(
            "--json",
            "batch",
            "start",
            "paper-digest",
            "--count",
            "3",
            "--max-running",
            "1",
            "--maxPapers",
            "1");
    String batchId = started.path("batchId").asText();
    JsonNode batch = json("--json", "batch", "get", batchId);
    assertThat(batch.path("maxRunning").asInt()).isEqualTo(1);
    assertThat(batch.path("stats").path("running").asInt()).isEqualTo(1);
    assertThat(batch.path("stats").path("pending").asInt()).isEqualTo(2);

    CliRun paused = cli("batch", "pause", batchId);
    assertThat(paused.exit()).as("%s", paused).isZero();
    assertThat(paused.out()).contains("\n  paused, at most 1 running, 0/3 done (0 %)\n");
    CliRun again = cli("batch", "pause", batchId);
    assertThat(again.exit()).as("the API's 409").isEqualTo(3);
    assertThat(again.err()).contains("409").contains("paused");

    CliRun resumed = cli("batch", "resume", batchId);
    assertThat(resumed.exit()).as("%s", resumed).isZero();
    assertThat(resumed.out()).contains("  running, at most 1 running");

    CliRun cancelled = cli("batch", "cancel", batchId);
    assertThat(cancelled.exit()).as("%s", cancelled).isZero();
    assertThat(cancelled.out()).startsWith("cancelled 3 tasks\n").contains("  finished, ");
    assertThat(cli("batch", "cancel", batchId).exit()).as("the API's 409").isEqualTo(3);
    assertThat(cli("batch", "resume", "nope").err()).contains("404").contains("does not exist");
  }

  @Test
  void health_showsEveryModel() throws Exception {
    CliRun health = cli("health");
    assertThat(health.exit()).as("%s", health).isZero();
    assertThat(health.out())
        .containsPattern("local-gpt +openai-compatible")
        .containsPattern("local-claude +anthropic");
    assertThat(json("health", "--check", "--json").path("models").findValuesAsText("name"))
        .contains("local-gpt", "local-claude");
  }

  @Test
  void usage_showsEveryModelsCallsOverTheWindow_andABadWindowIsTheApis400() throws Exception {
    String id = json("--json", "start", "paper-digest", "--maxPapers", "1").path("taskId").asText();
    Dev.awaitStatus(api, id, "succeeded");
    JsonNode usage = json("--json", "usage", "--window", "1h");
    assertThat(usage.path("window").asText()).isEqualTo("1h");
    long calls = 0;
    for (JsonNode m : usage.path("models")) {
      calls += m.path("calls").asLong();
    }
    assertThat(calls).isPositive();
    CliRun human = cli("usage", "--pipeline", "paper-digest");
    assertThat(human.exit()).as("%s", human).isZero();
    assertThat(human.out())
        .startsWith("model usage over 24h  pipeline paper-digest\n")
        .containsPattern(
            "\\n  local-(gpt|claude) +[1-9]\\d* +[1-9]\\d* +\\d+ +\\d+ +\\$0\\.\\d+ +≤\\d+ ms +≤\\d+ ms ")
        .containsPattern("\\n  local-claude +\\d+ ");
    CliRun bad = cli("usage", "--window", "2h");
    assertThat(bad.exit()).isEqualTo(3);
    assertThat(bad.err()).startsWith("stepwise: 400 ").contains("'window' must be 1h, 24h or 7d");
  }

  @Test
  void problems_areOneLineOnStderr_withTheirExitCode() throws Exception {
    CliRun unknown = cli("get", "no-such-task");
    assertThat(unknown.exit()).isEqualTo(3);
    assertThat(unknown.out()).isEmpty();
    assertThat(unknown.err())
        .startsWith("stepwise: 404 ")
        .endsWith("(GET /api/tasks/no-such-task)\n");
    assertThat(unknown.err().strip()).doesNotContain("\n");

    CliRun badInput = cli("start", "paper-digest", "--maxPapers", "99");
    assertThat(badInput.exit()).isEqualTo(3);
    assertThat(badInput.err()).startsWith("stepwise: 400 ").contains("maxPapers");

    CliRun unknownPipeline = cli("--json", "start", "no-such-pipeline");
    assertThat(unknownPipeline.exit()).isEqualTo(3);
    assertThat(unknownPipeline.err()).contains("'pipeline' must be one of");

    String id = json("--json", "start", "paper-digest", "--maxPapers", "1").path("taskId").asText();
    Dev.awaitStatus(api, id, "succeeded");
    CliRun conflict = cli("retry", id);
    assertThat(conflict.exit()).isEqualTo(3);
    assertThat(conflict.err()).startsWith("stepwise: 409 ");

    CliRun usage = cli("start", "paper-digest", "--set", "novalue");
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.err()).contains("--set takes field=value");

    CliRun nowhere = CliRun.of(URI.create("http://127.0.0.1:9"), "list");
    assertThat(nowhere.exit()).isEqualTo(4);
    assertThat(nowhere.err())
        .startsWith("stepwise: cannot reach the Stepwise API at http://127.0.0.1:9");
  }

  @Test
  void thePackagedJar_runsAsAProcess_withPlainLinesWhenPiped() throws Exception {
    Path jar = Path.of("target", "stepwise.jar");
    assertThat(jar).as("built by the package phase before the integration tests").exists();
    String id = json("--json", "start", "paper-digest", "--maxPapers", "1").path("taskId").asText();
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar.toString(),
                "watch",
                id,
                "--interval",
                "100")
            .redirectErrorStream(true);
    pb.environment().put("STEPWISE_API", api.toString());
    Process p = pb.start();
    p.getOutputStream().close();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).doesNotContain("\033[").contains("task " + id + " paper-digest succeeded");
  }
}
