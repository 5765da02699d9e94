package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The README's "Try it" block, run by bash as pasted against a running local runtime. Only the
 * ports are the test runtime's (and its time scale shortens the retry waits). A line whose comment
 * is a single word states the answer its command prints; each becomes an assertion. The script
 * stops at the first failing command.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadmeTryItIT {

  private static final Pattern ANSWER = Pattern.compile("^(.*\\S)\\s+#\\s*(\\S+)\\s*$");

  private LocalRuntime runtime;

  @BeforeAll
  void start() {
    runtime = LocalRuntime.start(Options.ephemeral(0.01));
  }

  @AfterAll
  void stop() {
    runtime.close();
  }

  static String tryItBlock() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    int section = readme.indexOf("\n## Try it\n");
    assertThat(section).as("README has a Try it section").isPositive();
    int start = readme.indexOf("```bash\n", section) + "```bash\n".length();
    return readme.substring(start, readme.indexOf("\n```", start));
  }

  /** The block with each stated answer checked and the ports of this runtime. */
  private String script(String block) throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add("set -euo pipefail");
    int n = 0;
    for (String line : block.split("\n")) {
      n++;
      String command =
          line.replace("http://localhost:8080", runtime.api().toString())
              .replace("http://127.0.0.1:8083", runtime.stepFunctions().toString());
      if (command.startsWith("aws ") && !awsCanRedrive()) {
        // No AWS CLI with RedriveExecution on this machine: the same call in the AWS JSON protocol
        // it would send.
        System.out.println(
            "ReadmeTryItIT: no AWS CLI with redrive-execution here; sending its request with curl");
        command =
            "curl -sf -X POST "
                + runtime.stepFunctions()
                + " -H 'X-Amz-Target: AWSStepFunctions.RedriveExecution'"
                + " -H 'Content-Type: application/x-amz-json-1.0' -d '{\"executionArn\":\"'$ARN'\"}'";
      }
      Matcher answer = ANSWER.matcher(command);
      if (!command.trim().startsWith("#") && answer.matches() && !answer.group(1).endsWith("{")) {
        lines.add("out=$(" + answer.group(1) + ")");
        lines.add(
            "[ \"$out\" = '"
                + answer.group(2)
                + "' ] || { echo \"README line "
                + n
                + ": expected "
                + answer.group(2)
                + ", got $out\" >&2; exit 1; }");
        lines.add("echo \"README line " + n + ": $out\"");
      } else {
        lines.add(command);
      }
    }
    return String.join("\n", lines) + "\n";
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

  @Test
  void theTryItCommands_workAsPasted_andAnswerWhatTheCommentsSay() throws Exception {
    String block = tryItBlock();
    String script = script(block);
    assertThat(script)
        .as("the block states answers to check")
        .contains("expected render_images")
        .contains("expected local-claude");
    Path file = Files.createTempFile("readme-try-it", ".sh");
    Files.writeString(file, script);
    Process bash = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true).start();
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
    boolean finished = bash.waitFor(5, TimeUnit.MINUTES);
    if (!finished) {
      bash.destroyForcibly();
    }
    reader.join(10_000);
    System.out.println(output);
    assertThat(finished).as("the block finished within 5 minutes:\n" + output).isTrue();
    assertThat(bash.exitValue()).as("the block's exit status; its output:\n" + output).isZero();
    assertThat(output).contains(": render_images").contains(": local-claude");
  }
}
