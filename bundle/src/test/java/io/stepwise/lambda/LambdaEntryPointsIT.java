package io.stepwise.lambda;

import static io.stepwise.testing.HandlerProbe.THEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.catalog.Handlers;
import io.stepwise.fakes.Fault;
import io.stepwise.fakes.ModelServer;
import io.stepwise.fakes.PaperSourceServer;
import io.stepwise.sfnlocal.testing.HeldStepFunctions;
import io.stepwise.testing.HandlerJvm;
import io.stepwise.testing.HandlerJvm.Run;
import io.stepwise.testing.StatusChangeEvents;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every deployed handler through the entry point Lambda uses: its no-argument constructor, in a
 * fresh JVM with only the shaded jar on the classpath and the stack's JVM flags (and a class-data
 * archive the JVMs share: {@link HandlerJvm#sharingClassData}), against DynamoDB Local and the
 * local protocol servers. The in-process tests share one application context that the test builds;
 * these catch what only the Lambda path shows: a handler whose own context misses a bean or a
 * setting, logging as set up on Lambda, a key printed. Handler classes as in infra's {@code
 * Handler}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LambdaEntryPointsIT {

  private static final String KEY = "sk-entrypoint-7f3c9a0b1d2e4f56";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Run> runs = new ArrayList<>();
  private HeldStepFunctions sfn;
  private PaperSourceServer papers;
  private ModelServer models;
  private HandlerJvm jvm;

  /**
   * Each pipeline's own package (the core, the kit and that pipeline only), which its step
   * functions deploy.
   */
  private final Map<String, HandlerJvm> pipelineJvms = new HashMap<>();

  @BeforeAll
  void start() throws IOException {
    sfn =
        HeldStepFunctions.start(HandlerJvm.STATE_MACHINE_ARN, HandlerJvm.REPORT_STATE_MACHINE_ARN);
    papers = PaperSourceServer.start(0);
    models = ModelServer.start(0);
    jvm =
        HandlerJvm.local(
                Path.of("target/stepwise-functions.jar"),
                HandlerJvm.STACK_JVM_FLAGS,
                sfn,
                papers,
                models,
                KEY)
            .sharingClassData(); // about 40 JVMs: each starts on half the CPU time
    for (String pipeline : List.of("paper-digest", "research-report")) {
      pipelineJvms.put(pipeline, jvm.forPipeline(pipeline));
    }
  }

  @AfterAll
  void stop() {
    models.close();
    papers.close();
    sfn.close();
    // Whatever a handler printed on the way (init, requests, errors), never the model key.
    assertThat(runs).allSatisfy(run -> assertThat(run.output()).doesNotContain(KEY));
  }

  @Test
  void taskRunsThroughEveryStepEntryPoint_andFinishingItLogsOneBareEmfLine() throws Exception {
    JsonNode task = createTask();
    String taskId = task.path("taskId").asText();
    String runId = task.path("runs").path(0).path("runId").asText();

    for (Map.Entry<String, String> step : HandlerJvm.STEP_HANDLERS.entrySet()) {
      JsonNode summary =
          JSON.readTree(
              run(step.getKey(), step.getValue(), invocation(taskId, runId, step.getKey()))
                  .response());
      assertThat(summary.path("status").asText()).as(step.getKey()).isEqualTo("succeeded");
      assertThat(summary.path("reused").asBoolean()).as(step.getKey() + " ran its body").isFalse();
    }
    Run events =
        run(
            "execution-events",
            Handlers.installed().named(Handlers.EXECUTION_EVENTS).className(),
            StatusChangeEvents.of(
                taskId, Integer.parseInt(runId.substring(1)), "SUCCEEDED", 0, null, null));

    assertThat(JSON.readTree(events.response()).path("changed").asBoolean()).isTrue();
    assertThat(getTask(taskId).path("status").asText()).isEqualTo("succeeded");
    List<JsonNode> emf = new ArrayList<>();
    for (String line : events.output().lines().toList()) {
      if (line.contains("\"_aws\"")) {
        emf.add(
            JSON.readTree(
                line)); // the whole line must be the JSON object: CloudWatch reads no other
      }
    }
    assertThat(emf).hasSize(1);
    assertThat(emf.get(0).path("taskId").asText()).isEqualTo(taskId);
    assertThat(emf.get(0).path("TasksSucceeded").asInt()).isEqualTo(1);
    assertThat(emf.get(0).path("_aws").path("CloudWatchMetrics").path(0).path("Namespace").asText())
        .isEqualTo("Stepwise");
  }

  @Test
  void reportRunsThroughEveryStepEntryPointOfTheResearchReport() throws Exception {
    Run created =
        run(
            "api",
            HandlerJvm.API_HANDLER,
            "POST",
            "/api/tasks",
            "{\"pipeline\":\"research-report\",\"topic\":\"LLM agents\",\"sections\":3,\"language\":\"en\",\"minChars\":200}");
    assertThat(created.response()).startsWith("202 ");
    JsonNode task = JSON.readTree(created.response().substring(4));
    String taskId = task.path("taskId").asText();
    String runId = task.path("runs").path(0).path("runId").asText();
    assertThat(
            sfn.execution(
                HandlerJvm.REPORT_STATE_MACHINE_ARN.replace("stateMachine", "execution")
                    + ":"
                    + taskId
                    + "--"
                    + runId))
        .as("started on the report's own state machine")
        .isPresent();

    Map<String, String> steps = HandlerJvm.stepHandlers("research-report");
    assertThat(steps.keySet())
        .containsExactly("plan", "gather", "write_sections", "write_report", "deliver");
    for (Map.Entry<String, String> step : steps.entrySet()) {
      JsonNode summary =
          JSON.readTree(
              run(step.getKey(), step.getValue(), invocation(taskId, runId, step.getKey()))
                  .response());
      assertThat(summary.path("status").asText()).as(step.getKey()).isEqualTo("succeeded");
      assertThat(summary.path("reused").asBoolean()).as(step.getKey() + " ran its body").isFalse();
    }
    Run checkpoint =
        run("api", HandlerJvm.API_HANDLER, "GET", "/api/tasks/" + taskId + "/checkpoint");
    assertThat(checkpoint.response()).startsWith("200 ");
    JsonNode delivered =
        JSON.readTree(checkpoint.response().substring(4))
            .path("steps")
            .path("deliver")
            .path("output");
    assertThat(delivered.toString()).contains("report.md").contains("report.html");
  }

  @Test
  void stepEntryPoint_whenItsSourceIsDown_failsWithTheErrorTypeTheStateMachineRetries()
      throws Exception {
    JsonNode task = createTask();
    String taskId = task.path("taskId").asText();
    String runId = task.path("runs").path(0).path("runId").asText();
    papers.failNext("/api/query", Fault.status(503, "arXiv is busy"));

    Run failed =
        invoke(
            "fetch_papers",
            HandlerJvm.STEP_HANDLERS.get("fetch_papers"),
            invocation(taskId, runId, "fetch_papers"));

    assertThat(failed.response())
        .startsWith("ERROR io.stepwise.steps.errors.TransientStepException: ")
        .contains("503");
    assertThat(Files.readString(Path.of("../statemachine.asl.json")))
        .as("FetchPapers retries it by that name")
        .contains("\"io.stepwise.steps.errors.TransientStepException\"");
    JsonNode step = getTask(taskId).path("steps").path(0);
    assertThat(step.path("name").asText()).isEqualTo("fetch_papers");
    // the task still runs and the state machine's Retry takes this error: the step reads retrying,
    // attempt 2 next
    assertThat(step.path("status").asText()).isEqualTo("retrying");
    assertThat(step.path("attempt").asInt()).isEqualTo(2);
    assertThat(step.path("error").path("type").asText()).isEqualTo("TransientStepException");
  }

  @Test
  void recordFailureEntryPoint_marksTheTaskFailedWithTheStepsError() throws Exception {
    JsonNode task = createTask();
    String taskId = task.path("taskId").asText();
    String runId = task.path("runs").path(0).path("runId").asText();
    String error = "io.stepwise.steps.errors.TerminalStepException";
    String cause =
        "{\"errorMessage\":\"no papers matched\",\"errorType\":\""
            + error
            + "\",\"stackTrace\":[]}";
    String report =
        JSON.writeValueAsString(
            Map.of(
                "taskId",
                taskId,
                "runId",
                runId,
                "redriveCount",
                0,
                "executionArn",
                "arn:aws:states:us-east-1:123456789012:execution:handlers:" + taskId + "--" + runId,
                "error",
                error,
                "cause",
                cause));

    Run recorded =
        run(
            "record-failure",
            Handlers.installed().named(Handlers.RECORD_FAILURE).className(),
            report);

    assertThat(JSON.readTree(recorded.response()).path("changed").asBoolean()).isTrue();
    JsonNode failed = getTask(taskId);
    assertThat(failed.path("status").asText()).isEqualTo("failed");
    assertThat(failed.toString()).contains("no papers matched");
  }

  @Test
  void healthCheckEntryPoint_probesTheConfiguredModel_andTheApiServesTheResult() throws Exception {
    Run sweep =
        run(
            "health-check",
            Handlers.installed().named(Handlers.HEALTH_CHECK).className(),
            resource("/events/scheduled-event.json"));

    JsonNode summary = JSON.readTree(sweep.response());
    assertThat(summary.path("probed").asInt()).isEqualTo(1);
    assertThat(summary.path("statuses").path("openai").asText()).isEqualTo("healthy");
    Run health = run("api", HandlerJvm.API_HANDLER, "GET", "/api/models/health");
    assertThat(health.response()).startsWith("200 ").contains("\"openai\"").contains("healthy");
  }

  @Test
  void apiEntryPoint_servesEachRouteFamily_andAnswersBadInputWithAProblem() throws Exception {
    String taskId = createTask().path("taskId").asText();

    // One api JVM for all of them, as Lambda keeps an environment warm: the first request cold,
    // the others warm.
    List<String> answers =
        run(
                "api",
                HandlerJvm.API_HANDLER,
                "GET",
                "/",
                THEN,
                "GET",
                "/api/tasks?limit=5",
                THEN,
                "GET",
                "/api/tasks/stats",
                THEN,
                "GET",
                "/api/metrics?window=1h",
                THEN,
                "GET",
                "/api/models/config",
                THEN,
                "POST",
                "/api/batches",
                "{\"count\":1,\"task\":{\"maxPapers\":1}}",
                THEN,
                "POST",
                "/api/tasks/" + taskId + "/cancel",
                "",
                THEN,
                "POST",
                "/api/tasks",
                "{\"maxPapers\":")
            .responses();

    assertThat(answers).hasSize(8);
    assertThat(answers.get(0)).startsWith("200 ").contains("<html");
    assertThat(answers.get(1)).startsWith("200 ").contains(taskId);
    assertThat(answers.get(2)).startsWith("200 ");
    assertThat(answers.get(3)).startsWith("200 ");
    assertThat(answers.get(4)).startsWith("200 ").contains("\"openai\"");
    assertThat(answers.get(5)).startsWith("202 ");
    assertThat(answers.get(6)).startsWith("202 ");
    assertThat(answers.get(7)).startsWith("400 ").contains("\"status\":400");
  }

  private JsonNode createTask() throws Exception {
    Run created =
        run(
            "api",
            HandlerJvm.API_HANDLER,
            "POST",
            "/api/tasks",
            "{\"maxPapers\":1,\"publish\":{\"target\":\"none\"}}");
    assertThat(created.response()).startsWith("202 ");
    return JSON.readTree(created.response().substring(4));
  }

  private JsonNode getTask(String taskId) throws Exception {
    Run got = run("api", HandlerJvm.API_HANDLER, "GET", "/api/tasks/" + taskId);
    assertThat(got.response()).startsWith("200 ");
    return JSON.readTree(got.response().substring(4));
  }

  /**
   * Runs a function from the package it deploys: a step from its pipeline's, the others from the
   * bundle's.
   */
  /** Runs a handler that must answer, not throw: a thrown error fails the test with its output. */
  private Run run(String function, String handlerClass, String... event) throws Exception {
    Run run = invoke(function, handlerClass, event);
    assertThat(run.response())
        .as("%s answered an error; it printed:%n%s", function, run.output())
        .doesNotStartWith("ERROR");
    return run;
  }

  private Run invoke(String function, String handlerClass, String... event) throws Exception {
    HandlerJvm from =
        Handlers.installed().all().stream()
            .filter(h -> h.className().equals(handlerClass) && h.pipeline() != null)
            .findFirst()
            .map(h -> pipelineJvms.get(h.pipeline()))
            .orElse(jvm);
    Run run = from.run(function, handlerClass, event);
    runs.add(run);
    return run;
  }

  private static String invocation(String taskId, String runId, String step) throws IOException {
    return JSON.writeValueAsString(
        Map.of(
            "taskId",
            taskId,
            "runId",
            runId,
            "step",
            step,
            "retryCount",
            0,
            "redriveCount",
            0,
            "executionArn",
            "arn:aws:states:us-east-1:123456789012:execution:handlers:" + taskId));
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = LambdaEntryPointsIT.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
