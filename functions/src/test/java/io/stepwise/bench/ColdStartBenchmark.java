package io.stepwise.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.fakes.ModelServer;
import io.stepwise.fakes.PaperSourceServer;
import io.stepwise.testing.FakeStepFunctions;
import io.stepwise.testing.LocalDynamo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Cold start of each handler, measured: for each of {@code rounds} fresh tasks, a new JVM per handler (api, then
 * the five steps in order on that task) with only the shaded jar on the classpath, timed from process start to
 * the first response. Prints the medians, split into JVM start, handler init and first request, with the jar
 * size. No SnapStart here: this is the cost a snapshot saves, and what an unprimed restore falls back to.
 *
 * <p>Run: {@code ./mvnw -q -pl functions -am package -DskipTests} then
 * {@code ./mvnw -q -pl functions exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.stepwise.bench.ColdStartBenchmark} (or {@code -Dexec.args="<jar> <rounds> <jvm flags...>"}).
 * Default JVM flags are the ones the CDK stack sets in {@code JAVA_TOOL_OPTIONS}.
 */
public final class ColdStartBenchmark {

  /** What the CDK stack puts in JAVA_TOOL_OPTIONS (infra StepwiseStack.JAVA_TOOL_OPTIONS). */
  static final List<String> STACK_JVM_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
      "-Dsoftware.amazon.awssdk.http.service.impl=software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService");
  private static final String KEY_PROPERTY = "STEPWISE_BENCH_MODEL_KEY";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] STEPS = {"fetch_papers", "analyze", "render_images", "build_payload", "publish"};
  private static final Map<String, String> HANDLERS = new LinkedHashMap<>();

  static {
    HANDLERS.put("api", "io.stepwise.api.ApiFunction");
    HANDLERS.put("fetch_papers", "io.stepwise.steps.FetchPapersFunction");
    HANDLERS.put("analyze", "io.stepwise.steps.AnalyzeFunction");
    HANDLERS.put("render_images", "io.stepwise.steps.RenderImagesFunction");
    HANDLERS.put("build_payload", "io.stepwise.steps.BuildPayloadFunction");
    HANDLERS.put("publish", "io.stepwise.steps.PublishFunction");
  }

  /** One cold start: wall-clock ms from process start to main, main to handler ready, ready to response. */
  record Sample(long total, long toMain, long init, long firstRequest, String response, String output) {}

  private final Path jar;
  private final Path probeClasses;
  private final List<String> jvmFlags;
  private final List<String> properties;

  private ColdStartBenchmark(Path jar, Path probeClasses, List<String> jvmFlags, List<String> properties) {
    this.jar = jar;
    this.probeClasses = probeClasses;
    this.jvmFlags = jvmFlags;
    this.properties = properties;
  }

  public static void main(String[] args) {
    int status = 1;
    try {
      measure(args);
      status = 0;
    } catch (Exception e) {
      e.printStackTrace();
    } finally {
      // (DynamoDB Local keeps one database per access key: the children use the same one, "test".)
      // DynamoDB Local and the protocol servers keep non-daemon threads.
      System.exit(status);
    }
  }

  private static void measure(String[] args) throws Exception {
    Path jar = Path.of(args.length > 0 ? args[0] : "target/stepwise-functions.jar").toAbsolutePath();
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<String> flags = args.length > 2 ? List.of(args).subList(2, args.length) : STACK_JVM_FLAGS;
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: ./mvnw -pl functions -am package -DskipTests");
    }
    try (FakeStepFunctions sfn = FakeStepFunctions.start();
        PaperSourceServer papers = PaperSourceServer.start(0);
        ModelServer models = ModelServer.start(0)) {
      List<String> props = new ArrayList<>(List.of(
          "-Daws.region=us-east-1", "-Daws.accessKeyId=test", "-Daws.secretAccessKey=test",
          "-Daws.services.dynamodb.endpoint-override=" + LocalDynamo.endpoint(),
          "-Daws.services.states.endpoint-override=" + sfn.endpoint(),
          "-Dstepwise.store.table-name=" + LocalDynamo.newTable(),
          "-Dstepwise.workflow.state-machine-arn=arn:aws:states:us-east-1:123456789012:stateMachine:bench",
          "-Dstepwise.blobs.dir=" + Files.createDirectories(Path.of("target/bench-blobs")).toAbsolutePath(),
          "-Dstepwise.sources.arxiv-url=" + papers.arxivUrl(),
          "-Dstepwise.sources.hugging-face-url=" + papers.huggingFaceUrl(),
          "-Dstepwise.models.openai.base-url=" + models.apiBase(),
          "-Dstepwise.models.openai.api-key-env=" + KEY_PROPERTY,
          "-D" + KEY_PROPERTY + "=sk-bench-0000000000000000"));
      new ColdStartBenchmark(jar, copyProbe(), flags, props).run(rounds);
    }
  }

  private void run(int rounds) throws Exception {
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    HANDLERS.keySet().forEach(h -> samples.put(h, new ArrayList<>()));
    for (int round = 1; round <= rounds; round++) {
      Sample created = launch("api", "POST", "/api/tasks", "{\"maxPapers\":1,\"publish\":{\"target\":\"none\"}}");
      expect(created.response().startsWith("202 "), "api", created);
      samples.get("api").add(created);
      JsonNode task = JSON.readTree(created.response().substring(4));
      String taskId = task.path("taskId").asText();
      String runId = task.path("runs").path(0).path("runId").asText();
      for (String step : STEPS) {
        String invocation = JSON.writeValueAsString(Map.of("taskId", taskId, "runId", runId, "step", step,
            "retryCount", 0, "redriveCount", 0, "executionArn", "bench"));
        Sample s = launch(step, invocation);
        JsonNode summary = JSON.readTree(s.response());
        expect("succeeded".equals(summary.path("status").asText()) && !summary.path("reused").asBoolean(),
            step, s);
        samples.get(step).add(s);
      }
      System.out.printf("round %d/%d done%n", round, rounds);
    }
    report(samples, rounds);
  }

  private void report(Map<String, List<Sample>> samples, int rounds) throws IOException {
    System.out.printf("%nCold start, fresh JVM per handler, median of %d (JVM flags: %s)%n", rounds,
        jvmFlags.isEmpty() ? "none" : String.join(" ", jvmFlags));
    System.out.printf("shaded jar: %s, %.1f MB%n", jar.getFileName(), Files.size(jar) / 1_048_576.0);
    System.out.printf("%-14s %10s %10s %10s %14s%n", "handler", "total ms", "to main", "init", "first request");
    for (Map.Entry<String, List<Sample>> e : samples.entrySet()) {
      List<Sample> s = e.getValue();
      System.out.printf("%-14s %10d %10d %10d %14d%n", e.getKey(), median(s, Sample::total),
          median(s, Sample::toMain), median(s, Sample::init), median(s, Sample::firstRequest));
    }
  }

  private Sample launch(String handler, String... eventArgs) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmFlags);
    command.addAll(properties);
    command.addAll(List.of("-cp", jar + java.io.File.pathSeparator + probeClasses, ColdStartProbe.class.getName(),
        HANDLERS.get(handler)));
    command.addAll(Arrays.asList(eventArgs));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("STEPWISE_") || k.startsWith("AWS_"));
    // What the Lambda runtime sets; the handlers' logging setup keys on it (io.stepwise.logging).
    pb.environment().put("AWS_LAMBDA_FUNCTION_NAME", "stepwise-" + handler);
    long start = System.currentTimeMillis();
    Process process = pb.start();
    Map<String, Long> marks = new LinkedHashMap<>();
    String response = null;
    StringBuilder output = new StringBuilder();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        output.append(line).append('\n');
        if (line.startsWith("MARK ")) {
          String[] parts = line.split(" ");
          marks.put(parts[1], Long.parseLong(parts[2]));
        } else if (line.startsWith("RESPONSE ")) {
          response = line.substring("RESPONSE ".length());
        }
      }
    }
    process.waitFor();
    if (response == null || !marks.containsKey("response")) {
      throw new IllegalStateException(handler + " gave no response:\n" + output);
    }
    return new Sample(marks.get("response") - start, marks.get("main") - start,
        marks.get("init") - marks.get("main"), marks.get("response") - marks.get("init"), response, output.toString());
  }

  private static void expect(boolean ok, String handler, Sample sample) {
    if (!ok) {
      throw new IllegalStateException(handler + " did not do its work; its output:\n" + sample.output());
    }
  }

  private static long median(List<Sample> samples, java.util.function.ToLongFunction<Sample> field) {
    long[] values = samples.stream().mapToLong(field).sorted().toArray();
    return values[values.length / 2];
  }

  /** The probe's classes alone, so the child sees the shaded jar as Lambda does and none of the other test classes. */
  private static Path copyProbe() throws Exception {
    Path source = Path.of(ColdStartProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path target = Files.createDirectories(Path.of("target", "bench-probe").toAbsolutePath());
    copyClasses(source, target, Path.of("io", "stepwise", "bench"), "ColdStartProbe");
    copyClasses(source, target, Path.of("io", "stepwise", "testing"), "TestLambdaContext");
    return target;
  }

  private static void copyClasses(Path source, Path target, Path pkg, String prefix) throws Exception {
    Files.createDirectories(target.resolve(pkg));
    try (Stream<Path> files = Files.list(source.resolve(pkg))) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList()) {
        Files.copy(f, target.resolve(pkg).resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
