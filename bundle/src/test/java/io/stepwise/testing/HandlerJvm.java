package io.stepwise.testing;

import io.stepwise.catalog.Handlers;
import io.stepwise.fakes.ModelServer;
import io.stepwise.fakes.PaperSourceServer;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.pipelines.report.ResearchReport;
import io.stepwise.sfnlocal.testing.HeldStepFunctions;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * Starts one handler the way the Lambda runtime does: a fresh JVM with only the shaded jar on its
 * classpath (plus {@link HandlerProbe}), the handler created through its no-argument constructor,
 * {@code AWS_LAMBDA_FUNCTION_NAME} set and no {@code STEPWISE_}/{@code AWS_} variable of this
 * process leaking in. The cold-start benchmark times it; {@code LambdaEntryPointsIT} checks what it
 * does.
 */
public final class HandlerJvm {

  /** The state machine the handlers of {@link #local} start executions of. */
  public static final String STATE_MACHINE_ARN =
      "arn:aws:states:us-east-1:123456789012:stateMachine:handlers";

  /** The research report's state machine for the handlers of {@link #local}. */
  public static final String REPORT_STATE_MACHINE_ARN =
      "arn:aws:states:us-east-1:123456789012:stateMachine:handlers-report";

  /** The floor's JVM, as a function name ({@link #runSdkFloor}). */
  public static final String SDK_FLOOR_FUNCTION = "sdk-floor";

  /** The api's handler class, from the handler catalogue. */
  public static final String API_HANDLER = Handlers.installed().named(Handlers.API).className();

  /**
   * Each digest step's wire name and handler class, in pipeline order, from the handler catalogue.
   */
  public static final Map<String, String> STEP_HANDLERS = stepHandlers(PaperDigest.NAME);

  /** What the CDK stack puts in JAVA_TOOL_OPTIONS (infra StepwiseStack.JAVA_TOOL_OPTIONS). */
  public static final List<String> STACK_JVM_FLAGS =
      List.of(
          "-XX:+TieredCompilation",
          "-XX:TieredStopAtLevel=1",
          "-Dsoftware.amazon.awssdk.http.service.impl=software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService");

  /**
   * Where the children's model key comes from: a system property read the way Lambda reads the
   * variable.
   */
  private static final String KEY_PROPERTY = "STEPWISE_HANDLER_MODEL_KEY";

  /** Far above any handler's start and one request (2–3 s here), far below a build's patience. */
  private static final Duration LIMIT = Duration.ofMinutes(2);

  /**
   * One start: wall-clock ms from process start to main, main to handler ready, ready to response;
   * the classes the JVM had loaded by the response (its own included); the first response, and
   * every response in order (the api's later requests answered warm, {@link HandlerProbe#THEN}).
   */
  public record Run(
      long total,
      long toMain,
      long init,
      long firstRequest,
      long classes,
      String response,
      List<String> responses,
      String output) {}

  private final Path jar;
  private final Path probeJar;
  private final List<String> jvmFlags;
  private final List<String> properties;

  private final String table;

  /** Whether the JVMs share one class-data archive per jar ({@link #sharingClassData}). */
  private final boolean classDataSharing;

  /** Where each JVM logs the classes it loads, or null ({@link #loggingClassLoads}). */
  private final Path classLogs;

  public HandlerJvm(Path jar, List<String> jvmFlags, List<String> properties) throws IOException {
    this(jar, jvmFlags, properties, null, false, null);
  }

  private HandlerJvm(
      Path jar,
      List<String> jvmFlags,
      List<String> properties,
      String table,
      boolean classDataSharing,
      Path classLogs)
      throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: ./mvnw -pl bundle -am package -DskipTests");
    }
    this.jar = jar.toAbsolutePath();
    this.probeJar = packProbe();
    this.jvmFlags = List.copyOf(jvmFlags);
    this.properties = List.copyOf(properties);
    this.table = table;
    this.classDataSharing = classDataSharing;
    this.classLogs = classLogs;
  }

  /**
   * Handlers against this machine's DynamoDB Local (a new table), the given Step Functions emulator
   * (holding {@link #STATE_MACHINE_ARN}) and protocol servers, with {@code modelKey} as the key of
   * the configured model ({@code openai}). DynamoDB Local keeps one database per access key: the
   * children use the same one as {@link LocalDynamo}, "test".
   */
  public static HandlerJvm local(
      Path jar,
      List<String> jvmFlags,
      HeldStepFunctions sfn,
      PaperSourceServer papers,
      ModelServer models,
      String modelKey)
      throws IOException {
    String table = LocalDynamo.newTable();
    return new HandlerJvm(
        jar,
        jvmFlags,
        List.of(
            "-Daws.region=us-east-1",
            "-Daws.accessKeyId=test",
            "-Daws.secretAccessKey=test",
            "-Daws.services.dynamodb.endpoint-override=" + LocalDynamo.endpoint(),
            "-Daws.services.states.endpoint-override=" + sfn.endpoint(),
            "-Dstepwise.store.table-name=" + table,
            "-Dstepwise.workflow.state-machine-arns="
                + PaperDigest.NAME
                + "="
                + STATE_MACHINE_ARN
                + ","
                + ResearchReport.NAME
                + "="
                + REPORT_STATE_MACHINE_ARN,
            "-Dstepwise.blobs.dir="
                + Files.createDirectories(Path.of("target/handler-blobs")).toAbsolutePath(),
            "-Dstepwise.sources.arxiv-url=" + papers.arxivUrl(),
            "-Dstepwise.sources.hugging-face-url=" + papers.huggingFaceUrl(),
            "-Dstepwise.models.openai.base-url=" + models.apiBase(),
            "-Dstepwise.models.openai.api-key-env=" + KEY_PROPERTY,
            "-D" + KEY_PROPERTY + "=" + modelKey),
        table,
        false,
        null);
  }

  /** The same handlers' settings (table, endpoints, key) on another package. */
  public HandlerJvm withJar(Path otherJar) throws IOException {
    return new HandlerJvm(otherJar, jvmFlags, properties, table, classDataSharing, classLogs);
  }

  /**
   * The same handlers, their JVMs sharing the classes they load through a dynamic class-data
   * archive per jar (JDK CDS): the first JVM on a jar writes it at exit, the later ones map it. A
   * handler then starts on about half the CPU time (api: 2.5 → 1.4 CPU-s on this machine), which is
   * what a test that starts dozens of them spends most of its time on. Not for the cold-start
   * benchmark: Lambda starts without the archive. It changes no behaviour; the JVM falls back to
   * loading classes from the jar wherever the archive does not apply.
   */
  public HandlerJvm sharingClassData() throws IOException {
    return new HandlerJvm(jar, jvmFlags, properties, table, true, classLogs);
  }

  /**
   * The same handlers, each JVM writing the classes it loads, in order, to {@code
   * <dir>/<function>.log} ({@code -Xlog:class+load}, a line per class: its name and where it came
   * from). Logging costs time: for the breakdown of what a start loads, not for timing it.
   */
  public HandlerJvm loggingClassLoads(Path dir) throws IOException {
    return new HandlerJvm(
        jar,
        jvmFlags,
        properties,
        table,
        classDataSharing,
        Files.createDirectories(dir).toAbsolutePath());
  }

  /** The class-load log of {@code functionName}'s last JVM ({@link #loggingClassLoads}). */
  public Path classLog(String functionName) {
    if (classLogs == null) {
      throw new IllegalStateException("these JVMs log no class loads: loggingClassLoads(dir)");
    }
    return classLogs.resolve(functionName + ".log");
  }

  /**
   * The same handlers' settings on a pipeline's own package (the core, the kit and that pipeline:
   * what its step functions deploy), as the pipeline module builds it, seen from the bundle module.
   */
  public HandlerJvm forPipeline(String pipeline) throws IOException {
    return withJar(
        Path.of("..", "pipelines", pipeline, "target", "stepwise-" + pipeline + ".jar")
            .toAbsolutePath()
            .normalize());
  }

  public Path jar() {
    return jar;
  }

  /** The state table of {@link #local}. */
  public String table() {
    return table;
  }

  /**
   * Runs {@code handlerClass} as the function {@code functionName}; for the api the event arguments
   * are {@code METHOD path [body]}, for the others the event JSON.
   */
  public Run run(String functionName, String handlerClass, String... eventArgs)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of(handlerClass));
    args.addAll(Arrays.asList(eventArgs));
    return launch(functionName, HandlerProbe.class, args);
  }

  /**
   * The AWS SDK alone in the same JVM set-up: {@link SdkFloorProbe} on the state table of {@link
   * #local}.
   */
  public Run runSdkFloor() throws IOException, InterruptedException {
    return launch(SDK_FLOOR_FUNCTION, SdkFloorProbe.class, List.of(table));
  }

  private Run launch(String functionName, Class<?> probe, List<String> args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmFlags);
    if (classDataSharing) {
      command.addAll(classDataFlags());
    }
    if (classLogs != null) {
      Files.deleteIfExists(classLog(functionName)); // not rotated to .0 and kept
      command.add("-Xlog:class+load=info:file=" + classLog(functionName) + ":none");
    }
    command.addAll(properties);
    command.addAll(List.of("-cp", jar + File.pathSeparator + probeJar, probe.getName()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("STEPWISE_") || k.startsWith("AWS_"));
    // What the Lambda runtime sets; the handlers' logging setup keys on it (io.stepwise.logging).
    pb.environment().put("AWS_LAMBDA_FUNCTION_NAME", "stepwise-" + functionName);
    long start = System.currentTimeMillis();
    Process process = pb.start();
    // A handler that hangs (a call without a timeout, a deadlock) ends here, not in a stuck build.
    CompletableFuture.delayedExecutor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)
        .execute(process::destroyForcibly);
    Map<String, Long> marks = new LinkedHashMap<>();
    List<String> responses = new ArrayList<>();
    StringBuilder output = new StringBuilder();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        output.append(line).append('\n');
        if (line.startsWith("MARK ")) {
          String[] parts = line.split(" ");
          marks.put(parts[1], Long.parseLong(parts[2]));
        } else if (line.startsWith("CLASSES ")) {
          marks.put("classes", Long.parseLong(line.substring("CLASSES ".length())));
        } else if (line.startsWith("RESPONSE ")) {
          responses.add(line.substring("RESPONSE ".length()));
        }
      }
    }
    process.waitFor();
    if (responses.isEmpty() || !marks.containsKey("response")) {
      throw new IllegalStateException(
          functionName + " gave no response within " + LIMIT + ":\n" + output);
    }
    return new Run(
        marks.get("response") - start,
        marks.get("main") - start,
        marks.get("init") - marks.get("main"),
        marks.get("response") - marks.get("init"),
        marks.getOrDefault("classes", 0L),
        responses.get(0),
        List.copyOf(responses),
        output.toString());
  }

  /**
   * Each step's wire name and handler class of {@code pipeline}, in pipeline order, from the
   * handler catalogue.
   */
  public static Map<String, String> stepHandlers(String pipeline) {
    Map<String, String> steps = new LinkedHashMap<>();
    Handlers.installed().steps(pipeline).forEach(h -> steps.put(h.step(), h.className()));
    return Collections.unmodifiableMap(steps);
  }

  /**
   * The archive flags of {@link #sharingClassData}: write the archive if this jar (as built now:
   * its size and time are in the name) has none yet, else map it. The JVM's CDS warnings (classes
   * it cannot archive) are switched off: they would mix with what the handler prints. The JVM
   * checks that the jars are the ones the archive was written for, and loads from the jars when
   * not.
   */
  private List<String> classDataFlags() throws IOException {
    String name = jar.getFileName().toString().replaceFirst("\\.jar$", "");
    Path archive =
        Files.createDirectories(Path.of("target", "class-data").toAbsolutePath())
            .resolve(
                name
                    + "-"
                    + Files.size(jar)
                    + "-"
                    + Files.getLastModifiedTime(jar).toMillis()
                    + "-"
                    + Files.getLastModifiedTime(probeJar).toMillis()
                    + ".jsa");
    return List.of(
        "-Xlog:cds*=off",
        Files.isRegularFile(archive)
            ? "-XX:SharedArchiveFile=" + archive
            : "-XX:ArchiveClassesAtExit=" + archive);
  }

  /**
   * The probe's classes (from this module's test classes and the core's test jar) in a jar of their
   * own, so the child sees the shaded jar as Lambda does and none of the other test classes (a jar,
   * not a directory: class-data sharing accepts no non-empty directory on the class path).
   */
  private static Path packProbe() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream out = new JarOutputStream(bytes)) {
      for (String name :
          List.of("HandlerProbe", "SdkFloorProbe", "TestLambdaContext", "TestLambdaContext$1")) {
        try (InputStream in = HandlerJvm.class.getResourceAsStream(name + ".class")) {
          if (in == null) {
            throw new IllegalStateException(
                "the probe class " + name + " is not on the test class path");
          }
          JarEntry entry = new JarEntry("io/stepwise/testing/" + name + ".class");
          entry.setTime(PROBE_ENTRY_TIME); // the same classes make the same jar
          out.putNextEntry(entry);
          in.transferTo(out);
          out.closeEntry();
        }
      }
    }
    Path probe = Files.createDirectories(Path.of("target").toAbsolutePath()).resolve("probe.jar");
    if (Files.isRegularFile(probe)
        && Arrays.equals(Files.readAllBytes(probe), bytes.toByteArray())) {
      return probe; // unchanged: an archive that lists it stays valid
    }
    Path partial = Files.createTempFile(probe.getParent(), "probe", ".jar");
    Files.write(partial, bytes.toByteArray());
    return Files.move(partial, probe, StandardCopyOption.REPLACE_EXISTING);
  }

  private static final long PROBE_ENTRY_TIME = 315_532_800_000L; // 1980-01-01, zip's first day
}
