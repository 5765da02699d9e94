package io.stepwise.pipelines.digest.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.fakes.ModelBehaviour;
import io.stepwise.fakes.PaperSourceServer;
import io.stepwise.kit.papers.Paper;
import io.stepwise.kit.papers.PaperQuery;
import io.stepwise.model.Task;
import io.stepwise.pipelines.digest.DigestInput;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.pipelines.digest.papers.PaperBatch;
import io.stepwise.steps.errors.RateLimitedException;
import io.stepwise.tasks.TaskService;
import io.stepwise.testing.DigestServicesBase;
import io.stepwise.testing.HealthItems;
import io.stepwise.testing.StepDriver;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * analyze of 20 papers (the local arXiv feed's generated stat.ML ones) with 4 in flight, the
 * primary allowed 3 at once, against the local OpenAI- and Anthropic-protocol servers answering in
 * 300 ms.
 */
@MicronautTest(environments = "test")
class ParallelAnalyzeIT extends DigestServicesBase {

  @Inject TaskService tasks;
  @Inject JsonMapper json;
  StepDriver driver;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = new HashMap<>(super.getProperties());
    p.put("stepwise.pipelines.paper-digest.steps.analyze.concurrency", "4");
    p.put("stepwise.models.primary.max-in-flight", "3");
    return p;
  }

  @BeforeAll
  void setUp() {
    driver = new StepDriver(context);
  }

  @BeforeEach
  void slowModels() {
    HealthItems.clear(table, "primary", "backup");
    models.behave("fake-gpt", ModelBehaviour.healthy().withDelay(300));
    models.behave("fake-claude", ModelBehaviour.healthy().withDelay(300));
  }

  private Task fetched() {
    Task t =
        tasks.create(
            PaperDigest.NAME,
            tree(
                new DigestInput(
                    "arxiv",
                    new PaperQuery(List.of(PaperSourceServer.GENERATED_CATEGORY), List.of(), 1),
                    20,
                    "en",
                    new DigestInput.Publish("none"),
                    null)),
            null,
            null,
            null);
    driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.FETCH_PAPERS);
    return t;
  }

  private <T> T output(Task t, String step, Class<T> type) throws Exception {
    return json.readValue(tasks.get(t.taskId()).checkpoints().get(step).outputJson(), type);
  }

  @Test
  void twentyPapers_runFourAtOnce_eachModelWithinItsMaxInFlight_postsInPaperOrder()
      throws Exception {
    Task t = fetched();
    models.reset();
    slowModels();
    driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.ANALYZE);

    PaperBatch batch = output(t, PaperDigest.FETCH_PAPERS, PaperBatch.class);
    Analysis analysis = output(t, PaperDigest.ANALYZE, Analysis.class);
    assertThat(batch.papers()).hasSize(20);
    assertThat(analysis.posts())
        .extracting(Post::paperId)
        .containsExactlyElementsOf(batch.papers().stream().map(Paper::id).toList());
    assertThat(models.peakConcurrentChats()).as("concurrency 4").isEqualTo(4);
    assertThat(models.calls("fake-gpt"))
        .as("3 of every 4 at once fit the primary")
        .hasSizeGreaterThanOrEqualTo(10);
    assertThat(analysis.posts())
        .filteredOn(p -> p.model().equals("backup"))
        .as("what does not fit the primary's 3 places goes to the next model, saying why")
        .isNotEmpty()
        .allSatisfy(p -> assertThat(p.modelReason()).isEqualTo("fallback: primary busy"));
    assertThat(analysis.posts())
        .filteredOn(p -> p.model().equals("primary"))
        .allSatisfy(p -> assertThat(p.modelReason()).isEqualTo("chosen"));
    assertThat(models.calls()).hasSize(20);
  }

  @Test
  void aRateLimitOnOnePaper_failsTheStepRetryably_afterTheOthersAreKept_andTheRetryPaysOnlyForIt()
      throws Exception {
    Task t = fetched();
    models.reset();
    slowModels();
    // Retry-After 0: the limit has already reset, so the models are not cooled down and only this
    // paper fails.
    models.failPromptsContaining("Title: Generated Study 7 on", 429, 0);

    assertThatThrownBy(() -> driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.ANALYZE))
        .isInstanceOf(RateLimitedException.class);
    assertThat(tasks.get(t.taskId()).items().keySet())
        .filteredOn(k -> k.startsWith("analyze/"))
        .hasSize(19);
    assertThat(models.calls())
        .as("the failing paper tried both models; every other paper one")
        .hasSize(21);

    models.reset();
    driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.ANALYZE);
    assertThat(models.calls()).as("the retry pays for the one paper missing").hasSize(1);
    assertThat(output(t, PaperDigest.ANALYZE, Analysis.class).posts()).hasSize(20);
  }
}
