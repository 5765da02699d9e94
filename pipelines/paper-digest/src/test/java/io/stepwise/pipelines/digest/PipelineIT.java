package io.stepwise.pipelines.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.blobs.BlobStore;
import io.stepwise.fakes.Fault;
import io.stepwise.fakes.McpServer;
import io.stepwise.kit.papers.PaperQuery;
import io.stepwise.lifecycle.ExecutionError;
import io.stepwise.lifecycle.ExecutionOutcome;
import io.stepwise.lifecycle.TaskLifecycle;
import io.stepwise.model.Task;
import io.stepwise.model.TaskStatus;
import io.stepwise.pipelines.digest.payload.Graphemes;
import io.stepwise.pipelines.digest.payload.Payloads;
import io.stepwise.pipelines.digest.publish.Publications;
import io.stepwise.pipelines.digest.render.RenderedCards;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.steps.errors.TransientStepException;
import io.stepwise.tasks.TaskService;
import io.stepwise.testing.DigestServicesBase;
import io.stepwise.testing.StepDriver;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** All five real steps, through the step runtime, against the local protocol servers. */
@MicronautTest(environments = "test")
class PipelineIT extends DigestServicesBase {

  @Inject TaskService tasks;
  @Inject TaskLifecycle lifecycle;
  @Inject JsonMapper json;
  @Inject BlobStore blobs;
  StepDriver driver;

  @BeforeAll
  void setUp() {
    driver = new StepDriver(context);
  }

  private Task task(String target, String language) {
    return tasks.create(
        PaperDigest.NAME,
        tree(
            new DigestInput(
                "arxiv",
                new PaperQuery(List.of("cs.AI"), List.of(), 1),
                2,
                language,
                new DigestInput.Publish(target),
                "demo")),
        null,
        null,
        null);
  }

  private <T> T output(Task t, String step, Class<T> type) throws Exception {
    return json.readValue(tasks.get(t.taskId()).checkpoints().get(step).outputJson(), type);
  }

  @Test
  void wholePipeline_publishesEachPaperOnceThroughMcp() throws Exception {
    Task t = task("mcp", "zh");
    driver.runFrom(t.taskId(), t.currentRunId(), PaperDigest.FETCH_PAPERS);

    List<McpServer.ToolCall> calls = mcp.calls();
    assertThat(calls).hasSize(2);
    for (McpServer.ToolCall call : calls) {
      assertThat(call.tool()).isEqualTo("publish_content");
      assertThat(Graphemes.count(call.arguments().get("title").asText())).isBetween(1, 20);
      assertThat(Graphemes.count(call.arguments().get("content").asText())).isBetween(1, 1000);
      assertThat(call.arguments().get("content").asText()).contains("原文：").doesNotContain("#人工智能");
      assertThat(call.arguments().get("images")).hasSize(1);
      assertThat(call.arguments().get("tags").get(0).asText()).isEqualTo("人工智能");
    }
    Publications published = output(t, PaperDigest.PUBLISH, Publications.class);
    assertThat(published.posts()).extracting(Publications.Entry::status).containsOnly("published");
    assertThat(published.posts())
        .extracting(Publications.Entry::externalId)
        .containsExactlyInAnyOrder("note-1", "note-2");
  }

  @Test
  void cards_areDecodablePngsWithTextWhereTheTitleIs() throws Exception {
    Task t = task("none", "zh");
    driver.runFrom(t.taskId(), t.currentRunId(), PaperDigest.FETCH_PAPERS);

    RenderedCards cards = output(t, PaperDigest.RENDER_IMAGES, RenderedCards.class);
    assertThat(cards.cards()).hasSize(2);
    byte[] png = blobs.get(cards.cards().get(0).key()).orElseThrow();
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image.getWidth()).isEqualTo(1080);
    assertThat(image.getHeight()).isEqualTo(1440);
    int dark = 0;
    for (int y = 140; y < 320; y += 2) {
      for (int x = 96; x < 984; x += 2) {
        int rgb = image.getRGB(x, y);
        int brightness = ((rgb >> 16 & 0xFF) + (rgb >> 8 & 0xFF) + (rgb & 0xFF)) / 3;
        if (brightness < 100) {
          dark++;
        }
      }
    }
    assertThat(dark).as("dark title pixels").isGreaterThan(500);
    Payloads payloads = output(t, PaperDigest.BUILD_PAYLOAD, Payloads.class);
    assertThat(payloads.posts().get(0).images()).containsExactly(cards.cards().get(0).uri());
    assertThat(output(t, PaperDigest.PUBLISH, Publications.class).posts())
        .extracting(Publications.Entry::status)
        .containsOnly("skipped");
    assertThat(mcp.calls()).isEmpty();
  }

  @Test
  void publishRetriedAfterPartialSuccess_sendsOnlyTheUnpublishedPost() throws Exception {
    Task t = task("mcp", "zh");
    driver.runFrom(t.taskId(), t.currentRunId(), PaperDigest.FETCH_PAPERS);
    mcp.reset();
    Task again = retryFrom(t, PaperDigest.PUBLISH); // first retry: both posts already published
    driver.invoke(t.taskId(), again.currentRunId(), PaperDigest.PUBLISH);
    assertThat(mcp.calls()).isEmpty();

    Task fresh = task("mcp", "en");
    driver.runFrom(
        fresh.taskId(), fresh.currentRunId(), PaperDigest.FETCH_PAPERS, PaperDigest.BUILD_PAYLOAD);
    mcp.reset();
    mcp.failNextCall(
        new McpServer.CallFault(false, 0, 0, false)); // first post goes through normally
    mcp.failNextCall(
        new McpServer.CallFault(
            false, 503, 0, false)); // second post: server error, nothing published
    assertThatThrownBy(
            () -> driver.invoke(fresh.taskId(), fresh.currentRunId(), PaperDigest.PUBLISH))
        .isInstanceOf(RuntimeException.class);
    assertThat(mcp.calls()).hasSize(1);

    driver.invoke(fresh.taskId(), fresh.currentRunId(), PaperDigest.PUBLISH);
    assertThat(mcp.calls()).hasSize(2);
    assertThat(mcp.calls().get(0).arguments().get("title").asText())
        .isNotEqualTo(mcp.calls().get(1).arguments().get("title").asText());
  }

  @Test
  void unansweredPublish_isNotResentInTheSameRun_butIsAfterAnExplicitRetry() throws Exception {
    Task t = task("mcp", "zh");
    driver.runFrom(
        t.taskId(), t.currentRunId(), PaperDigest.FETCH_PAPERS, PaperDigest.BUILD_PAYLOAD);
    mcp.failNextCall(
        new McpServer.CallFault(false, 0, 4_000, true)); // received and recorded, answer too late

    assertThatThrownBy(() -> driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.PUBLISH))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining("may already be published");
    assertThatThrownBy(() -> driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.PUBLISH))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining("may already be published");
    assertThat(mcp.calls()).hasSize(1);

    Task retried = retryFrom(t, PaperDigest.PUBLISH);
    driver.invoke(t.taskId(), retried.currentRunId(), PaperDigest.PUBLISH);
    assertThat(mcp.calls()).hasSize(3); // the uncertain post once more, the other post once
  }

  @Test
  void webhook_signsAndDeduplicates_andAnUnansweredDeliveryIsRetried() throws Exception {
    Task t = task("webhook", "en");
    driver.runFrom(
        t.taskId(), t.currentRunId(), PaperDigest.FETCH_PAPERS, PaperDigest.BUILD_PAYLOAD);
    webhook.failNext(Fault.hang(4_000));

    assertThatThrownBy(() -> driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.PUBLISH))
        .isInstanceOf(TransientStepException.class)
        .hasMessageContaining("same idempotency key");
    driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.PUBLISH);

    assertThat(webhook.deliveries()).hasSize(2);
    var delivery = webhook.deliveries().get(0);
    // <task>:<post>:<content fingerprint> (a post a person edits is a new publication)
    assertThat(delivery.headers().get("Idempotency-Key"))
        .matches(java.util.regex.Pattern.quote(t.taskId() + ":2411.10001:") + "[0-9a-f]{16}");
    String signature = delivery.headers().get("X-Stepwise-Signature");
    String timestamp = signature.substring(2, signature.indexOf(','));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
    String expected =
        HexFormat.of().formatHex(mac.doFinal(delivery.body().getBytes(StandardCharsets.UTF_8)));
    assertThat(signature).isEqualTo("t=" + timestamp + ",v1=" + expected);
    assertThat(output(t, PaperDigest.PUBLISH, Publications.class).posts())
        .extracting(Publications.Entry::externalId)
        .containsExactly("hook-1", "hook-2");
  }

  @Test
  void toolError_isTerminal() {
    Task t = task("mcp", "zh");
    driver.runFrom(
        t.taskId(), t.currentRunId(), PaperDigest.FETCH_PAPERS, PaperDigest.BUILD_PAYLOAD);
    mcp.failNextCall(new McpServer.CallFault(true, 0, 0, false));
    assertThatThrownBy(() -> driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.PUBLISH))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining("not allowed to post");
  }

  /**
   * Fails the task's current run at {@code step} as the Catch path would, then retries from that
   * step.
   */
  private Task retryFrom(Task t, String step) {
    lifecycle.recordFailure(
        t.taskId(),
        tasks.get(t.taskId()).task().currentRunId(),
        0,
        new ExecutionError("TerminalStepException", "test"));
    Task current = tasks.get(t.taskId()).task();
    if (current.status() != TaskStatus.FAILED) {
      lifecycle.onExecutionStatus(
          t.taskId(),
          current.currentRunId(),
          ExecutionOutcome.FAILED,
          0,
          new ExecutionError("X", "test"));
    }
    return tasks.retry(t.taskId(), step);
  }
}
