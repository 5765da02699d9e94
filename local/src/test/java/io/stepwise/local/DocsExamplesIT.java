package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Every {@code bash} block of README.md and docs/*.md runs as written, or says why not. Each page's
 * runnable blocks run in order as one bash script (see {@link DocScript} for the checks it adds)
 * against a local runtime started here; only the addresses in the text are replaced by this
 * runtime's. A block marked {@code <!-- run with: --auth -->} runs against a second runtime started
 * with {@code --auth}; one marked {@code <!-- run by: SomeIT -->} is run by that test; one marked
 * {@code <!-- not run: reason -->} is not run.
 *
 * <p>The runtime is the README's, at time scale 0.01, with a health min-gap of 1 s instead of 10 s:
 * the health examples wait for a fresh probe, and would otherwise wait up to 10 s each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DocsExamplesIT {

  private static final Path ROOT = Path.of("..");
  private static final Path LOCAL_JAR = Path.of("target", "stepwise-local.jar").toAbsolutePath();
  private static final Set<String> SHELL_LANGUAGES = Set.of("sh", "shell", "zsh", "bash");
  private static final String API_EXPORT = "export API=http://localhost:8080";
  private static final Pattern RELATIVE_LINK =
      Pattern.compile("(?:\\]\\(|src=\")([^)\"#:\\s]*)(?:#([^)\"\\s]+))?[)\"]");

  private final HttpClient http = HttpClient.newHttpClient();
  private LocalRuntime runtime;
  private LocalRuntime authRuntime;

  @BeforeAll
  void start() {
    runtime =
        LocalRuntime.start(
            new Options(
                0,
                0,
                0,
                0.01,
                null,
                false,
                null,
                Duration.ofSeconds(1),
                false,
                false,
                null,
                false));
  }

  @AfterAll
  void stop() {
    if (authRuntime != null) {
      authRuntime.close();
    }
    runtime.close();
  }

  @Test
  void everyShellBlock_isBash_andRunsOrSaysWhyNot() {
    List<String> problems = new ArrayList<>();
    for (DocBlocks page : DocBlocks.pages(ROOT)) {
      for (DocBlocks.Block block : page.blocks()) {
        if (SHELL_LANGUAGES.contains(block.language()) && !block.isBash()) {
          problems.add(
              block.where()
                  + ": a ```"
                  + block.language()
                  + " block; commands are ```bash, marked"
                  + " <!-- not run: reason --> when they cannot run in a test");
        }
        if (block.marker() != DocBlocks.Marker.RUN && !block.isBash()) {
          problems.add(
              block.where()
                  + ": a marker on a ```"
                  + block.language()
                  + " block, which is never run");
        }
        if (block.marker() != DocBlocks.Marker.RUN && block.argument().isBlank()) {
          problems.add(block.where() + ": the marker names no reason, test or flag");
        }
        if (block.marker() == DocBlocks.Marker.RUN_WITH && !block.argument().equals("--auth")) {
          problems.add(block.where() + ": only --auth is known to 'run with'");
        }
        if (block.marker() == DocBlocks.Marker.RUN_BY && !testExists(block.argument())) {
          problems.add(
              block.where()
                  + ": no test io.stepwise.local."
                  + block.argument()
                  + " runs this block");
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void commandsUseApi_setOnceAtTheTopOfEachPage() {
    List<String> problems = new ArrayList<>();
    for (DocBlocks page : DocBlocks.pages(ROOT)) {
      boolean defined = false;
      for (DocBlocks.Block block : page.bash()) {
        for (String line : block.text().split("\n")) {
          String command = line.replaceFirst("(^|\\s)#.*$", "");
          if (command.contains("localhost:8080") && !line.startsWith(API_EXPORT)) {
            problems.add(
                block.where() + ": a hard-coded localhost:8080 in a command (use $API): " + line);
          }
          if (line.startsWith(API_EXPORT)) {
            if (defined) {
              problems.add(block.where() + ": API is set a second time on the page");
            }
            defined = true;
          } else if (command.contains("$API") && !defined) {
            problems.add(
                block.where() + ": $API is used before the page sets it (" + API_EXPORT + ")");
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void pagesCiteOnlyWhatIsInTheRepository() throws IOException {
    List<String> problems = new ArrayList<>();
    for (DocBlocks page : DocBlocks.pages(ROOT)) {
      String text = Files.readString(page.page(), StandardCharsets.UTF_8);
      if (text.contains("DESIGN.md")) {
        problems.add(
            page.name()
                + " cites DESIGN.md, which is not in the repository: cite docs/architecture.md");
      }
      if (Pattern.compile("(?i)\\bseeds? 0\\d\\d").matcher(text).find()) {
        problems.add(page.name() + " names a seed: say what the behaviour is instead");
      }
      Matcher link = RELATIVE_LINK.matcher(text);
      while (link.find()) {
        Path target =
            link.group(1).isEmpty()
                ? page.page()
                : page.page().resolveSibling(link.group(1)).normalize();
        if (!Files.exists(target)) {
          problems.add(page.name() + " links to " + link.group(1) + ", which does not exist");
        } else if (link.group(2) != null
            && target.toString().endsWith(".md")
            && !anchors(target).contains(link.group(2))) {
          problems.add(
              page.name()
                  + " links to "
                  + link.group(1)
                  + "#"
                  + link.group(2)
                  + ", a heading that does not exist");
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @TestFactory
  Stream<DynamicTest> eachPagesExamples_runAsWritten() {
    return DocBlocks.pages(ROOT).stream()
        .filter(page -> !page.runnable().isEmpty())
        .map(page -> DynamicTest.dynamicTest(page.name(), () -> run(page)));
  }

  private void run(DocBlocks page) throws Exception {
    String all = String.join("\n", page.runnable().stream().map(DocBlocks.Block::text).toList());
    if (Pattern.compile("(?m)(^|[\\s$(\"])aws ").matcher(all).find()) {
      Assumptions.assumeTrue(
          awsCanRedrive(), page.name() + " needs the AWS CLI (with redrive-execution); none here");
    }
    // A page that starts an emulator of its own gets a free port for it; otherwise 8083 is the
    // runtime's.
    boolean ownEmulator = all.contains("stepwise-local.jar sfn");
    if (ownEmulator) {
      assertThat(LOCAL_JAR)
          .as("the packaged runtime, built by the package phase before the integration tests")
          .exists();
    }
    String emulatorPort = ownEmulator ? String.valueOf(freePort()) : null;
    List<URI> apis = new ArrayList<>(List.of(runtime.api()));
    if (page.runnable().stream().anyMatch(b -> b.marker() == DocBlocks.Marker.RUN_WITH)) {
      apis.add(authRuntime().api());
    }
    DocScript script = new DocScript(page.name(), apis);
    UnaryOperator<String> rewrite =
        text -> {
          String t =
              text.replace("http://localhost:8080", runtime.api().toString())
                  .replace("local/target/stepwise-local.jar", LOCAL_JAR.toString());
          return ownEmulator
              ? t.replaceAll("\\b8083\\b", emulatorPort)
              : t.replace("http://127.0.0.1:8083", runtime.stepFunctions().toString());
        };
    for (DocBlocks.Block block : page.runnable()) {
      if (block.marker() == DocBlocks.Marker.RUN_WITH) {
        // the reader restarted the runtime with --auth on the same address: here it is a second
        // runtime
        script.add(block, rewrite, "API=" + authRuntime.api(), "API=" + runtime.api());
      } else {
        script.add(block, rewrite, "", "");
      }
    }
    resetDevState();
    try {
      String output = bash(page.name(), script.text());
      System.out.println(
          "DocsExamplesIT "
              + page.name()
              + ": "
              + script.answers()
              + " answers checked\n"
              + output);
    } finally {
      resetDevState();
    }
  }

  /** Each page starts from a runtime without pending faults and with healthy local models. */
  private void resetDevState() throws Exception {
    for (String path :
        List.of("/api/dev/faults", "/api/dev/models/local-gpt", "/api/dev/models/local-claude")) {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(runtime.api().resolve(path)).DELETE().build(),
              HttpResponse.BodyHandlers.discarding());
      assertThat(r.statusCode()).as("DELETE " + path).isEqualTo(204);
    }
  }

  private LocalRuntime authRuntime() {
    if (authRuntime == null) {
      authRuntime = LocalRuntime.start(Options.ephemeral(0.01).withAuth());
    }
    return authRuntime;
  }

  private static String bash(String page, String script) throws Exception {
    Path dir = Files.createTempDirectory("docs-examples");
    Path file = dir.resolve(page.replace('/', '-') + ".sh");
    Files.writeString(file, script);
    Process bash =
        new ProcessBuilder("bash", file.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    StringBuilder output = new StringBuilder();
    Thread reader =
        new Thread(
            () -> {
              try {
                output.append(
                    new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                output.append(e);
              }
            });
    reader.start();
    boolean finished = bash.waitFor(3, TimeUnit.MINUTES);
    if (!finished) {
      bash.descendants().forEach(ProcessHandle::destroyForcibly);
      bash.destroyForcibly();
    }
    reader.join(10_000);
    assertThat(finished)
        .as(page + ": the examples finished within 3 minutes; the script " + file + ":\n" + output)
        .isTrue();
    assertThat(bash.exitValue())
        .as(page + ": the examples' exit status; the script " + file + ", its output:\n" + output)
        .isZero();
    // kept when the examples fail, for the message above; gone when they pass
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    return output.toString();
  }

  private static boolean testExists(String simpleName) {
    try {
      Class.forName("io.stepwise.local." + simpleName);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /**
   * The anchors GitHub makes of a page's headings: lower case, punctuation dropped, spaces as
   * hyphens.
   */
  private static Set<String> anchors(Path page) throws IOException {
    Set<String> anchors = new HashSet<>();
    boolean inBlock = false;
    for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
      inBlock ^= line.startsWith("```");
      if (!inBlock && line.startsWith("#")) {
        anchors.add(
            line.replaceFirst("^#+\\s*", "")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-'));
      }
    }
    return anchors;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static boolean awsCanRedrive() {
    try {
      Process p =
          new ProcessBuilder("aws", "stepfunctions", "redrive-execution", "help")
              .redirectErrorStream(true)
              .start();
      p.getInputStream().transferTo(OutputStream.nullOutputStream());
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
