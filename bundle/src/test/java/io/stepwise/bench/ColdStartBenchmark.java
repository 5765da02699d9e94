package io.stepwise.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.catalog.Handlers;
import io.stepwise.fakes.ModelServer;
import io.stepwise.fakes.PaperSourceServer;
import io.stepwise.pipelines.digest.PaperDigest;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Cold start of each handler, measured: for each of {@code rounds} fresh tasks, a new JVM per
 * handler (api, then the five steps in order on that task and its execution-events; review and
 * record-failure on a second task; the scheduled health-check, reconciler and alerts) with only the
 * package it deploys on the classpath (a step its pipeline's, the others the bundle's), timed from
 * process start to the first response. Prints the medians, split into JVM start, handler init and
 * first request, and the number of classes loaded by then (class loading is most of the time: see
 * the README), with the jar size; then, from one more round with class loading logged ({@link
 * ClassLoadBreakdown}), per handler the classes by origin and the packages it loads most classes
 * from beyond the floor's. No SnapStart here: this is the cost a snapshot saves, and what an
 * unprimed restore falls back to.
 *
 * <p>Run: {@code bundle/bench/cold-start.sh [rounds] [jvm flags...]} (it builds the jars, then runs
 * this class with the arguments {@code <bundle jar> <rounds> <jvm flags...>}). Default JVM flags
 * are the ones the CDK stack sets in {@code JAVA_TOOL_OPTIONS}.
 */
public final class ColdStartBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The AWS SDK alone: what no handler that reads its state table can start below
   * (HandlerJvm#runSdkFloor).
   */
  private static final String SDK_FLOOR = "sdk floor";

  /** The core's handlers after the steps, in the order each round runs them. */
  private static final List<String> CORE =
      List.of(
          Handlers.EXECUTION_EVENTS,
          Handlers.REVIEW,
          Handlers.RECORD_FAILURE,
          Handlers.HEALTH_CHECK,
          Handlers.RECONCILER,
          Handlers.ALERTS);

  private final HandlerJvm jvm;

  /** The steps' JVMs: on their pipeline's own package, as deployed (infra, LambdaEntryPointsIT). */
  private final HandlerJvm stepJvm;

  private final List<String> jvmFlags;

  private ColdStartBenchmark(HandlerJvm jvm, List<String> jvmFlags) throws IOException {
    this.jvm = jvm;
    this.stepJvm = jvm.forPipeline(PaperDigest.NAME);
    this.jvmFlags = jvmFlags;
  }

  public static void main(String[] args) {
    int status = 1;
    try {
      measure(args);
      status = 0;
    } catch (Exception e) {
      e.printStackTrace();
    } finally {
      // DynamoDB Local and the protocol servers keep non-daemon threads.
      System.exit(status);
    }
  }

  private static void measure(String[] args) throws Exception {
    Path jar =
        Path.of(args.length > 0 ? args[0] : "target/stepwise-functions.jar").toAbsolutePath();
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<String> flags =
        args.length > 2 ? List.of(args).subList(2, args.length) : HandlerJvm.STACK_JVM_FLAGS;
    try (HeldStepFunctions sfn = HeldStepFunctions.start(HandlerJvm.STATE_MACHINE_ARN);
        PaperSourceServer papers = PaperSourceServer.start(0);
        ModelServer models = ModelServer.start(0)) {
      new ColdStartBenchmark(
              HandlerJvm.local(jar, flags, sfn, papers, models, "sk-bench-0000000000000000"), flags)
          .run(rounds);
    }
  }

  private void run(int rounds) throws Exception {
    Map<String, List<Run>> samples = newSamples();
    for (int round = 1; round <= rounds; round++) {
      round(samples);
      System.out.printf("round %d/%d done%n", round, rounds);
    }
    report(samples, rounds);
    // One more round, each JVM logging its class loads: slower, so not among the timed ones.
    Path logs = Path.of("target", "class-load");
    ColdStartBenchmark logged = new ColdStartBenchmark(jvm.loggingClassLoads(logs), jvmFlags);
    Map<String, List<Run>> loggedRound = newSamples();
    logged.round(loggedRound);
    logged.reportBreakdown(loggedRound, logs);
  }

  private static Map<String, List<Run>> newSamples() {
    Map<String, List<Run>> samples = new LinkedHashMap<>();
    samples.put("api", new ArrayList<>());
    HandlerJvm.STEP_HANDLERS.keySet().forEach(step -> samples.put(step, new ArrayList<>()));
    CORE.forEach(handler -> samples.put(handler, new ArrayList<>()));
    samples.put(SDK_FLOOR, new ArrayList<>());
    return samples;
  }

  /**
   * One round: a task created through the api and run through the five steps and its status event,
   * a review and a failure on a second task, each scheduled function once, and the floor.
   */
  private void round(Map<String, List<Run>> samples) throws Exception {
    String scheduled = resource("/events/scheduled-event.json");
    // The second task first, so that the sampled api start is the api's last JVM of the round (the
    // one whose class-load log a logged round keeps).
    JsonNode other = JSON.readTree(createTask().response().substring(4));
    Run created = createTask();
    samples.get("api").add(created);
    JsonNode task = JSON.readTree(created.response().substring(4));
    String taskId = task.path("taskId").asText();
    String runId = task.path("runs").path(0).path("runId").asText();
    for (String step : HandlerJvm.STEP_HANDLERS.keySet()) {
      String invocation =
          JSON.writeValueAsString(
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
                  "bench"));
      Run s = launch(step, invocation);
      JsonNode summary = JSON.readTree(s.response());
      expect(
          "succeeded".equals(summary.path("status").asText())
              && !summary.path("reused").asBoolean(),
          step,
          s);
      samples.get(step).add(s);
    }
    // The core: the finished task's status event; a review opened, then a failure recorded, on the
    // second task (its api start is not a sample); one pass of each scheduled function.
    changed(
        samples,
        Handlers.EXECUTION_EVENTS,
        StatusChangeEvents.of(
            taskId, Integer.parseInt(runId.substring(1)), "SUCCEEDED", 0, null, null));
    String otherId = other.path("taskId").asText();
    String otherRun = other.path("runs").path(0).path("runId").asText();
    changed(
        samples,
        Handlers.REVIEW,
        JSON.writeValueAsString(
            Map.of(
                "taskId", otherId, "runId", otherRun, "token", "bench-token", "redriveCount", 0)));
    changed(
        samples,
        Handlers.RECORD_FAILURE,
        JSON.writeValueAsString(
            Map.of(
                "taskId",
                otherId,
                "runId",
                otherRun,
                "redriveCount",
                0,
                "error",
                "io.stepwise.steps.errors.TerminalStepException",
                "cause",
                "{\"errorMessage\":\"bench\",\"errorType\":\"x\",\"stackTrace\":[]}")));
    for (String handler : List.of(Handlers.HEALTH_CHECK, Handlers.RECONCILER, Handlers.ALERTS)) {
      Run s = launch(handler, scheduled);
      expect(!s.response().startsWith("ERROR"), handler, s);
      samples.get(handler).add(s);
    }
    Run floor = jvm.runSdkFloor();
    expect("ACTIVE".equals(floor.response()), "sdk floor", floor);
    samples.get(SDK_FLOOR).add(floor);
  }

  /**
   * Per handler of a logged round, the classes it loaded by its first response, by origin, and the
   * packages it loaded most classes from beyond the floor's.
   */
  private void reportBreakdown(Map<String, List<Run>> round, Path logs) throws IOException {
    Map<String, ClassLoadBreakdown> breakdowns = new LinkedHashMap<>();
    for (Map.Entry<String, List<Run>> e : round.entrySet()) {
      String function = e.getKey().equals(SDK_FLOOR) ? HandlerJvm.SDK_FLOOR_FUNCTION : e.getKey();
      breakdowns.put(
          e.getKey(),
          ClassLoadBreakdown.read(jvm.classLog(function), e.getValue().get(0).classes()));
    }
    System.out.printf(
        "%nClasses loaded by the first response, by origin (one more round, logged: %s)%n",
        logs.toAbsolutePath().normalize());
    StringBuilder header = new StringBuilder(String.format("%-17s %8s", "handler", "classes"));
    List<String> origins = new ArrayList<>(ClassLoadBreakdown.ORIGINS.keySet());
    origins.add(ClassLoadBreakdown.OTHER);
    origins.forEach(origin -> header.append(String.format(" %9s", origin)));
    System.out.println(header);
    for (Map.Entry<String, ClassLoadBreakdown> e : breakdowns.entrySet()) {
      StringBuilder row =
          new StringBuilder(
              String.format(
                  "%-17s %8d",
                  e.getKey(),
                  e.getValue().origins().values().stream().mapToInt(Integer::intValue).sum()));
      origins.forEach(
          origin -> row.append(String.format(" %9d", e.getValue().origins().get(origin))));
      System.out.println(row);
    }
    ClassLoadBreakdown floor = breakdowns.get(SDK_FLOOR);
    System.out.printf("%nThe packages each handler loads most classes from beyond the floor's%n");
    for (Map.Entry<String, ClassLoadBreakdown> e : breakdowns.entrySet()) {
      if (e.getKey().equals(SDK_FLOOR)) {
        continue;
      }
      StringBuilder line = new StringBuilder(String.format("%-17s", e.getKey()));
      e.getValue()
          .largestBeyond(floor, 6)
          .forEach(p -> line.append(String.format(" %s +%d,", p.getKey(), p.getValue())));
      System.out.println(line.substring(0, line.length() - 1));
    }
  }

  private void report(Map<String, List<Run>> samples, int rounds) throws IOException {
    System.out.printf(
        "%nCold start, fresh JVM per handler, median of %d (JVM flags: %s)%n",
        rounds, jvmFlags.isEmpty() ? "none" : String.join(" ", jvmFlags));
    System.out.printf(
        "shaded jars: %s, %.1f MB; the steps' %s, %.1f MB%n",
        jvm.jar().getFileName(),
        Files.size(jvm.jar()) / 1_048_576.0,
        stepJvm.jar().getFileName(),
        Files.size(stepJvm.jar()) / 1_048_576.0);
    List<Run> floor = samples.get(SDK_FLOOR);
    long floorTotal = median(floor, Run::total);
    long floorClasses = median(floor, Run::classes);
    System.out.printf(
        "%-17s %10s %10s %10s %14s %10s %9s %9s%n",
        "handler",
        "total ms",
        "to main",
        "init",
        "first request",
        "classes",
        "× floor",
        "classes×");
    for (Map.Entry<String, List<Run>> e : samples.entrySet()) {
      List<Run> s = e.getValue();
      long total = median(s, Run::total);
      long classes = median(s, Run::classes);
      System.out.printf(
          "%-17s %10d %10d %10d %14d %10d %9.2f %9.2f%n",
          e.getKey(),
          total,
          median(s, Run::toMain),
          median(s, Run::init),
          median(s, Run::firstRequest),
          classes,
          (double) total / floorTotal,
          (double) classes / floorClasses);
    }
    System.out.printf(
        "(%s: no handler, no context; the DynamoDB client built, then one DescribeTable)%n",
        SDK_FLOOR);
  }

  private Run createTask() throws Exception {
    Run created =
        launch("api", "POST", "/api/tasks", "{\"maxPapers\":1,\"publish\":{\"target\":\"none\"}}");
    expect(created.response().startsWith("202 "), "api", created);
    return created;
  }

  /** Runs a lifecycle handler whose answer must say it changed the task. */
  private void changed(Map<String, List<Run>> samples, String handler, String event)
      throws Exception {
    Run s = launch(handler, event);
    expect(
        !s.response().startsWith("ERROR")
            && JSON.readTree(s.response()).path("changed").asBoolean(),
        handler,
        s);
    samples.get(handler).add(s);
  }

  private Run launch(String handler, String... eventArgs) throws Exception {
    if (HandlerJvm.STEP_HANDLERS.containsKey(handler)) {
      return stepJvm.run(handler, HandlerJvm.STEP_HANDLERS.get(handler), eventArgs);
    }
    String type =
        handler.equals("api")
            ? HandlerJvm.API_HANDLER
            : Handlers.installed().named(handler).className();
    return jvm.run(handler, type, eventArgs);
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = ColdStartBenchmark.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void expect(boolean ok, String handler, Run sample) {
    if (!ok) {
      throw new IllegalStateException(
          handler + " did not do its work; its output:\n" + sample.output());
    }
  }

  private static long median(List<Run> samples, ToLongFunction<Run> field) {
    long[] values = samples.stream().mapToLong(field).sorted().toArray();
    return values[values.length / 2];
  }
}
