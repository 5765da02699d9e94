package io.stepwise.pipelines.digest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.fakes.McpServer;
import io.stepwise.kit.papers.PaperQuery;
import io.stepwise.model.Task;
import io.stepwise.pipelines.digest.DigestInput;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.steps.errors.TransientStepException;
import io.stepwise.tasks.TaskService;
import io.stepwise.testing.DigestServicesBase;
import io.stepwise.testing.StepDriver;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Publishing through an MCP tool that de-duplicates by an idempotency key ({@code
 * stepwise.publish.mcp.arguments.idempotency-key} mapped): a call that was sent but never answered
 * is safe to send again, so it becomes a retryable error instead of a request to check the target
 * by hand.
 */
@MicronautTest(environments = "test")
class IdempotentMcpPublishIT extends DigestServicesBase {

  @Inject TaskService tasks;
  @Inject JsonMapper json;
  StepDriver driver;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = super.getProperties();
    p.put("stepwise.publish.mcp.arguments.idempotency-key", McpServer.IDEMPOTENCY_ARGUMENT);
    return p;
  }

  @BeforeAll
  void setUp() {
    driver = new StepDriver(context);
  }

  @Test
  void unansweredPublish_isRetryable_andTheResendPublishesNothingTwice() throws Exception {
    Task t =
        tasks.create(
            PaperDigest.NAME,
            tree(
                new DigestInput(
                    "arxiv",
                    new PaperQuery(List.of("cs.AI"), List.of(), 1),
                    2,
                    "zh",
                    new DigestInput.Publish("mcp"),
                    null)),
            null,
            null,
            null);
    driver.runFrom(
        t.taskId(), t.currentRunId(), PaperDigest.FETCH_PAPERS, PaperDigest.BUILD_PAYLOAD);
    mcp.failNextCall(
        new McpServer.CallFault(false, 0, 4_000, true)); // published, but the answer comes too late

    assertThatThrownBy(() -> driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.PUBLISH))
        .isInstanceOf(TransientStepException.class)
        .hasMessageContaining("safe to retry with the same idempotency key");
    driver.invoke(
        t.taskId(), t.currentRunId(), PaperDigest.PUBLISH); // what the state machine's Retry does

    assertThat(mcp.calls()).as("each post published once").hasSize(2);
    assertThat(mcp.calls())
        .extracting(c -> c.arguments().path(McpServer.IDEMPOTENCY_ARGUMENT).asText())
        .doesNotHaveDuplicates()
        .allSatisfy(key -> assertThat(key).startsWith(t.taskId() + ":"));
    Publications published =
        json.readValue(
            tasks.get(t.taskId()).checkpoints().get(PaperDigest.PUBLISH).outputJson(),
            Publications.class);
    assertThat(published.posts()).extracting(Publications.Entry::status).containsOnly("published");
    assertThat(published.posts())
        .extracting(Publications.Entry::externalId)
        .containsExactlyInAnyOrder("note-1", "note-2");
  }
}
