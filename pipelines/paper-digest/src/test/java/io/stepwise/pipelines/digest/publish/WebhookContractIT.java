package io.stepwise.pipelines.digest.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.fakes.WebhookReceiver;
import io.stepwise.kit.publish.PostPayload;
import io.stepwise.kit.publish.WebhookPublisher;
import io.stepwise.testing.DigestServicesBase;
import jakarta.inject.Inject;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The documented webhook contract (docs/pipelines.md, "The webhook contract") matches what we send:
 * the headers it names, the signed string it documents ({@code t + "." + body}) recomputed here,
 * and its Python verification snippet, extracted from docs/pipelines.md and run on a real delivery
 * (skipped where no python3 is installed).
 */
@MicronautTest(environments = "test")
class WebhookContractIT extends DigestServicesBase {

  private static final PostPayload POST =
      new PostPayload(
          "p1", "标题 title", "正文 body ✓", List.of("https://example.invalid/a.png"), List.of("ai"));

  @Inject WebhookPublisher publisher;

  private WebhookReceiver.Delivery deliver() {
    publisher.publish(POST, "task-w:p1");
    assertThat(webhook.deliveries()).hasSize(1);
    return webhook.deliveries().get(0);
  }

  @Test
  void theDocumentedHeadersAndSignedString_areWhatWeSend() throws Exception {
    WebhookReceiver.Delivery d = deliver();
    assertThat(d.headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(d.headers().get("Idempotency-Key")).isEqualTo("task-w:p1");
    Matcher m =
        Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})")
            .matcher(d.headers().get("X-Stepwise-Signature"));
    assertThat(m.matches()).isTrue();
    assertThat(Long.parseLong(m.group(1)))
        .isCloseTo(Instant.now().getEpochSecond(), Offset.offset(5L));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String documented =
        HexFormat.of()
            .formatHex(mac.doFinal((m.group(1) + "." + d.body()).getBytes(StandardCharsets.UTF_8)));
    assertThat(m.group(2)).isEqualTo(documented);
    assertThat(d.body())
        .contains(
            "\"idempotencyKey\":\"task-w:p1\"",
            "\"title\"",
            "\"content\"",
            "\"images\"",
            "\"tags\"");
  }

  @Test
  void theDocumentedPythonVerification_acceptsOurDelivery_andRefusesATamperedOne()
      throws Exception {
    Assumptions.assumeTrue(python() != null, "python3 is not installed");
    WebhookReceiver.Delivery d = deliver();
    String page = Files.readString(repositoryFile("docs/pipelines.md"));
    Matcher snippet =
        Pattern.compile(
                "<!-- webhook-verify:start -->\\s*```python\\n(.*?)```\\s*<!-- webhook-verify:end -->",
                Pattern.DOTALL)
            .matcher(page);
    assertThat(snippet.find()).as("docs/pipelines.md has the verification snippet").isTrue();
    Path dir = Files.createDirectories(Path.of("target", "webhook-contract"));
    Path body = dir.resolve("body.bin");
    Files.writeString(body, d.body(), StandardCharsets.UTF_8);
    Path script = dir.resolve("verify.py");
    Files.writeString(
        script,
        snippet.group(1)
            + """

        import os, sys
        body = open(sys.argv[1], "rb").read()
        ok = verify(os.environ["SECRET"], os.environ["HEADER"], body)
        tampered = verify(os.environ["SECRET"], os.environ["HEADER"], body + b" ")
        print("ok" if ok and not tampered else "mismatch")
        """);
    ProcessBuilder run =
        new ProcessBuilder(python(), script.toString(), body.toString()).redirectErrorStream(true);
    run.environment().put("SECRET", WEBHOOK_SECRET);
    run.environment().put("HEADER", d.headers().get("X-Stepwise-Signature"));
    Process p = run.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim())
        .isEqualTo("ok");
  }

  /** A file of the repository, found from whichever module directory the test runs in. */
  private static Path repositoryFile(String path) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw")) && Files.exists(dir.resolve(path))) {
        return dir.resolve(path);
      }
    }
    throw new IllegalStateException("no " + path + " above " + Path.of("").toAbsolutePath());
  }

  private static String python() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "python3"))) {
        return Path.of(dir, "python3").toString();
      }
    }
    return null;
  }
}
