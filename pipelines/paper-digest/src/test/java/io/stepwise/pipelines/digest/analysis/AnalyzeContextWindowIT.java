package io.stepwise.pipelines.digest.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.fakes.ModelServer;
import io.stepwise.kit.papers.PaperQuery;
import io.stepwise.model.Task;
import io.stepwise.pipelines.digest.DigestInput;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.tasks.TaskService;
import io.stepwise.testing.DigestServicesBase;
import io.stepwise.testing.HealthItems;
import io.stepwise.testing.StepDriver;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A paper's prompt above 80 % of the model's context window is shrunk by analyze (the abstract
 * shortened, the shrink logged) and then answered, instead of failing at the provider. The primary
 * here has a window of 3,000 tokens: with 1,200 for the answer and as many again for a repair
 * request, the abstract has no room left and goes out cut.
 */
@MicronautTest(environments = "test")
class AnalyzeContextWindowIT extends DigestServicesBase {

  @Inject TaskService tasks;
  @Inject JsonMapper json;
  private StepDriver driver;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = new HashMap<>(super.getProperties());
    p.put("stepwise.pipelines.paper-digest.steps.analyze.concurrency", "1");
    p.put("stepwise.models.primary.context-window", "3000");
    return p;
  }

  @BeforeAll
  void setUp() {
    driver = new StepDriver(context);
    HealthItems.clear(table, "primary", "backup");
  }

  @Test
  void aPromptAboveEightyPercent_isShrunk_loggedAndAnswered() throws Exception {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger analyzeLog = (Logger) LoggerFactory.getLogger(AnalyzeBody.class);
    analyzeLog.addAppender(log);
    Task t =
        tasks.create(
            PaperDigest.NAME,
            tree(
                new DigestInput(
                    "arxiv",
                    new PaperQuery(List.of("cs.AI"), List.of(), 1),
                    1,
                    "en",
                    new DigestInput.Publish("none"),
                    null)),
            null,
            null,
            null);
    try {
      driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.FETCH_PAPERS);
      driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.ANALYZE);
    } finally {
      analyzeLog.detachAppender(log);
    }

    List<ModelServer.Call> calls = models.calls("fake-gpt");
    assertThat(calls).as("answered by the primary, not refused").isNotEmpty();
    String sent = calls.get(0).body().path("messages").toString();
    assertThat(sent).contains("Abstract: …");
    assertThat(log.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("prompt for paper ")
                    .contains("to fit primary's context window of 3000"));
    assertThat(tasks.get(t.taskId()).checkpoints()).containsKey(PaperDigest.ANALYZE);
  }
}
