package io.stepwise.pipelines.digest.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.fakes.ModelBehaviour;
import io.stepwise.fakes.ModelServer;
import io.stepwise.health.HealthStatus;
import io.stepwise.health.HealthStore;
import io.stepwise.kit.papers.PaperQuery;
import io.stepwise.model.Task;
import io.stepwise.pipelines.digest.DigestInput;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.pipelines.digest.papers.PaperBatch;
import io.stepwise.steps.errors.ModelOutputIncompleteException;
import io.stepwise.steps.errors.RateLimitedException;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.steps.errors.TransientStepException;
import io.stepwise.tasks.TaskService;
import io.stepwise.testing.DigestServicesBase;
import io.stepwise.testing.HealthItems;
import io.stepwise.testing.HealthStates;
import io.stepwise.testing.ModelCallLog;
import io.stepwise.testing.StepDriver;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** analyze through the step runtime against the local OpenAI- and Anthropic-protocol servers. */
@MicronautTest(environments = "test")
class AnalyzeIT extends DigestServicesBase {

  @Inject TaskService tasks;
  @Inject JsonMapper json;
  @Inject HealthStore health;
  StepDriver driver;

  @RegisterExtension final ModelCallLog modelCalls = new ModelCallLog();

  /**
   * One paper at a time, so the routing these tests pin (a failed primary cooled down before the
   * next paper) is deterministic; {@code ParallelAnalyzeIT} covers several at once. Short backoffs
   * keep the unknown-reason tests quick.
   */
  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = new HashMap<>(super.getProperties());
    p.put("stepwise.pipelines.paper-digest.steps.analyze.concurrency", "1");
    p.put("stepwise.pipelines.paper-digest.steps.analyze.backoff-base", "20ms");
    p.put("stepwise.pipelines.paper-digest.steps.analyze.backoff-max", "100ms");
    p.put("stepwise.models.primary.price.input-per-million", "0.15");
    p.put("stepwise.models.primary.price.output-per-million", "0.60");
    return p;
  }

  @BeforeAll
  void setUp() {
    driver = new StepDriver(context);
  }

  @BeforeEach
  void freshHealth() {
    // Cooldowns set by one test's failures must not route the next test's papers.
    HealthItems.clear(table, "primary", "backup");
  }

  /** A task whose fetch step has run (two cs.AI papers from today). */
  private Task fetched(String language) {
    Task t =
        tasks.create(
            PaperDigest.NAME,
            tree(
                new DigestInput(
                    "arxiv",
                    new PaperQuery(List.of("cs.AI"), List.of(), 1),
                    2,
                    language,
                    new DigestInput.Publish("none"),
                    null)),
            null,
            null,
            null);
    driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.FETCH_PAPERS);
    return t;
  }

  private Analysis analysis(Task t) throws Exception {
    return json.readValue(
        tasks.get(t.taskId()).checkpoints().get(PaperDigest.ANALYZE).outputJson(), Analysis.class);
  }

  private void analyze(Task t) {
    driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.ANALYZE);
  }

  @Test
  void eachPaperBecomesAPostInChinese_byThePrimaryModel() throws Exception {
    Task t = fetched("zh");
    analyze(t);

    Analysis analysis = analysis(t);
    assertThat(analysis.posts()).hasSize(2);
    Post post = analysis.posts().get(0);
    assertThat(post.summary()).startsWith("这篇论文");
    assertThat(post.keyPoints()).hasSize(3);
    assertThat(post.tags()).contains("人工智能");
    assertThat(post.model()).isEqualTo("primary");
    assertThat(post.modelReason()).isEqualTo("chosen");
    assertThat(tasks.get(t.taskId()).task().steps().get(PaperDigest.ANALYZE).model())
        .isEqualTo("primary");
    assertThat(models.calls("fake-gpt")).hasSize(2).allMatch(ModelCallKeyCheck::hasKey);
    JsonNode request =
        json.readValue(models.calls("fake-gpt").get(0).body().toString(), JsonNode.class);
    assertThat(request.get("messages").get(0).get("content").getStringValue())
        .contains("Simplified Chinese");
  }

  @Test
  void english_isAskedForAndReturned() throws Exception {
    Task t = fetched("en");
    analyze(t);
    assertThat(analysis(t).posts().get(0).summary()).startsWith("The paper ");
  }

  @Test
  void primaryDown_fallsBackToTheAnthropicModel() throws Exception {
    models.behave("fake-gpt", ModelBehaviour.failing(503));
    Task t = fetched("zh");
    analyze(t);

    Post post = analysis(t).posts().get(0);
    assertThat(post.model()).isEqualTo("backup");
    assertThat(post.modelReason()).isEqualTo("fallback: primary unavailable");
    assertThat(models.calls("fake-claude")).hasSize(2);
    assertThat(analysis(t).posts().get(1).modelReason())
        .as("the primary is cooling down: the backup is the choice")
        .isEqualTo("chosen");
    assertThat(models.calls("fake-gpt"))
        .as("the second paper does not try the failed primary")
        .hasSize(1);
  }

  @Test
  void primaryRateLimited_fallsBack_andCoolsDownAsLongAsRetryAfterSays() throws Exception {
    models.behave(
        "fake-gpt", ModelBehaviour.healthy().withStatus(429, Map.of("Retry-After", "120")));
    Task t = fetched("zh");
    Instant before = Instant.now();
    analyze(t);

    assertThat(analysis(t).posts())
        .extracting(Post::model, Post::modelReason)
        .containsExactly(
            Tuple.tuple("backup", "fallback: primary rate-limited"),
            Tuple.tuple("backup", "chosen"));
    assertThat(health.latest(List.of("primary")).get("primary").cooldownUntil())
        .isAfter(before.plusSeconds(119));
    assertThat(models.calls("fake-gpt")).hasSize(1);
  }

  @Test
  void primaryServerError_fallsBack() throws Exception {
    models.behave("fake-gpt", ModelBehaviour.failing(500));
    Task t = fetched("en");
    analyze(t);
    assertThat(analysis(t).posts()).extracting(Post::model).containsExactly("backup", "backup");
  }

  @Test
  void primaryTruncatedEvenAtTheCap_fallsBackForEachPaper_withoutCoolingThePrimaryDown()
      throws Exception {
    models.behave("fake-gpt", ModelBehaviour.healthy().withFinishReason("length"));
    Task t = fetched("zh");
    analyze(t);

    assertThat(analysis(t).posts())
        .extracting(Post::model, Post::modelReason)
        .containsOnly(Tuple.tuple("backup", "fallback: primary incomplete (length)"));
    assertThat(models.calls("fake-gpt"))
        .as(
            "a cut-off answer is not an unavailable model: each paper tries it, max_tokens doubling to the cap")
        .extracting(c -> c.body().path("max_tokens").asInt())
        .containsExactly(1200, 2400, 4800, 1200, 2400, 4800);
  }

  @Test
  void healthierBackup_isChosenOverADegradedPrimary() throws Exception {
    HealthStates.set(health, "primary", HealthStatus.DEGRADED, 900, 0.5);
    HealthStates.set(health, "backup", HealthStatus.HEALTHY, 100, 1.0);
    Task t = fetched("zh");
    analyze(t);

    assertThat(analysis(t).posts())
        .extracting(Post::model, Post::modelReason)
        .containsOnly(Tuple.tuple("backup", "chosen"));
    assertThat(models.calls("fake-gpt")).isEmpty();
  }

  @Test
  void everyModelUnavailable_isTransient_andCallsNoModel() {
    HealthStates.set(health, "primary", HealthStatus.UNHEALTHY, 0, 0.0);
    health.coolDown("backup", Instant.now().plusSeconds(300));
    Task t = fetched("zh");

    assertThatThrownBy(() -> analyze(t))
        .isInstanceOf(TransientStepException.class)
        .hasMessageContaining("no model is available");
    assertThat(models.calls()).isEmpty();
  }

  @Test
  void everyModelRateLimited_isRateLimitedWithTheLongestRetryAfter() {
    // both longer than the router waits out itself (stepwise.rate-limits.max-inline-wait, 20 s; its
    // waits are ModelRouterTest's): the state machine is to wait, as long as the longest asks
    models.behave(
        "fake-gpt", ModelBehaviour.healthy().withStatus(429, Map.of("Retry-After", "30")));
    models.behave(
        "fake-claude", ModelBehaviour.healthy().withStatus(429, Map.of("Retry-After", "90")));
    Task t = fetched("zh");
    assertThatThrownBy(() -> analyze(t))
        .isInstanceOfSatisfying(
            RateLimitedException.class,
            e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(90)));
  }

  @Test
  void truncatedOutput_isIncomplete_andTheRetryRedoesOnlyUnfinishedPapers() throws Exception {
    Task t = fetched("zh");
    models.behave("fake-gpt", ModelBehaviour.healthy().withFinishReason("length"));
    models.behave("fake-claude", ModelBehaviour.healthy().withFinishReason("length"));
    assertThatThrownBy(() -> analyze(t))
        .isInstanceOf(ModelOutputIncompleteException.class)
        .hasMessageContaining("length");

    models.reset();
    analyze(t);
    assertThat(analysis(t).posts()).hasSize(2);
    int callsAfterRecovery = models.calls("fake-gpt").size();
    assertThat(callsAfterRecovery).isEqualTo(2);
  }

  @Test
  void aRetryAfterOnePaperFailed_reusesTheKeptPost_countingItsCostAsSaved_andEachCallPaidOnce()
      throws Exception {
    Task t = fetched("zh");
    PaperBatch batch =
        json.readValue(
            tasks.get(t.taskId()).checkpoints().get(PaperDigest.FETCH_PAPERS).outputJson(),
            PaperBatch.class);
    models.failPromptsContaining(batch.papers().get(1).title(), 400, 0);
    assertThatThrownBy(() -> analyze(t)).isInstanceOf(TerminalStepException.class);
    int answeredFirst = models.answered().size();
    assertThat(answeredFirst).as("the first paper's post, kept").isEqualTo(1);
    var failed = tasks.get(t.taskId()).task().steps().get(PaperDigest.ANALYZE).usage();
    assertThat(failed.paid().calls()).isEqualTo(1);
    assertThat(failed.saved().calls()).isZero();

    models.reset();
    HealthItems.clear(table, "primary", "backup");
    analyze(t);
    var done = tasks.get(t.taskId());
    var usage = done.task().steps().get(PaperDigest.ANALYZE).usage();
    double oneCall = (120 * 0.15 + 80 * 0.60) / 1e6;
    assertThat(models.answered()).as("only the second paper asked again").hasSize(1);
    assertThat(usage.paid().calls()).as("every answered call, once").isEqualTo(2);
    assertThat(usage.paid().inputTokens()).isEqualTo(240);
    assertThat(usage.paid().costUsd()).isCloseTo(2 * oneCall, within(1e-12));
    assertThat(usage.saved().calls()).as("the kept post").isEqualTo(1);
    assertThat(usage.saved().costUsd()).isCloseTo(oneCall, within(1e-12));
    assertThat(done.checkpoints().get(PaperDigest.ANALYZE).usage().calls())
        .as("the output cost both posts")
        .isEqualTo(2);
  }

  @Test
  void missingFinishReason_isIncomplete() {
    models.behave("fake-gpt", ModelBehaviour.healthy().withFinishReason(null));
    models.behave("fake-claude", ModelBehaviour.healthy().withFinishReason("unknown"));
    Task t = fetched("zh");
    assertThatThrownBy(() -> analyze(t)).isInstanceOf(ModelOutputIncompleteException.class);
  }

  @Test
  void contentFilter_isTerminal_andDoesNotTryTheFallback() {
    models.behave("fake-gpt", ModelBehaviour.healthy().withFinishReason("content_filter"));
    Task t = fetched("zh");
    assertThatThrownBy(() -> analyze(t))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining("content_filter");
    assertThat(models.calls("fake-claude")).isEmpty();
  }

  @Test
  void malformedAnswerOnce_isRepairedByAskingAgain() throws Exception {
    models.behave("fake-gpt", ModelBehaviour.healthy().withMalformedAnswers(1));
    Task t = fetched("zh");
    analyze(t);

    assertThat(analysis(t).posts()).allMatch(p -> p.model().equals("primary"));
    assertThat(models.calls("fake-gpt")).hasSize(3);
    JsonNode repair =
        json.readValue(models.calls("fake-gpt").get(1).body().toString(), JsonNode.class);
    assertThat(repair.get("messages").size()).isEqualTo(4);
  }

  @Test
  void eachPost_isAboutItsPaper_withAChineseTitleOfItsOwn() throws Exception {
    Task t = fetched("zh");
    analyze(t);

    PaperBatch papers =
        json.readValue(
            tasks.get(t.taskId()).checkpoints().get(PaperDigest.FETCH_PAPERS).outputJson(),
            PaperBatch.class);
    List<Post> posts = analysis(t).posts();
    for (int i = 0; i < posts.size(); i++) {
      Post post = posts.get(i);
      assertThat(post.sourceTitle()).isEqualTo(papers.papers().get(i).title());
      assertThat(post.title()).containsPattern("\\p{IsHan}").doesNotContain(post.sourceTitle());
      assertThat(post.title().codePointCount(0, post.title().length())).isLessThanOrEqualTo(20);
      assertThat(PaperDigestAnswersTest.distinctive(post.sourceTitle()))
          .as("the summary names the paper's subject: " + post.summary())
          .anyMatch(w -> post.summary().toLowerCase(Locale.ROOT).contains(w));
    }
    assertThat(posts.get(0).summary()).isNotEqualTo(posts.get(1).summary());
    JsonNode request =
        json.readValue(models.calls("fake-gpt").get(0).body().toString(), JsonNode.class);
    assertThat(request.get("messages").get(0).get("content").getStringValue())
        .contains("a catchy title in Simplified Chinese of at most 20 characters");
    assertThat(models.calls("fake-gpt")).as("titles that suit need no repair").hasSize(2);
  }

  @Test
  void aTitleThatDoesNotSuitThePost_getsOneRepairRequest_thenIsUsedAsItIs() throws Exception {
    String english =
        "{\"title\":\"Scaling Laws for Sparse Mixture-of-Experts Retrieval\",\"summary\":\"这篇论文研究稀疏混合专家检索的缩放规律。\","
            + "\"keyPoints\":[\"缩放规律\"],\"tags\":[\"人工智能\"]}";
    models.behave("fake-gpt", ModelBehaviour.healthy().withContent(english));
    Task t = fetched("zh");
    analyze(t);

    assertThat(models.calls("fake-gpt"))
        .as("each paper's answer and one repair request")
        .hasSize(4);
    JsonNode repair =
        json.readValue(models.calls("fake-gpt").get(1).body().toString(), JsonNode.class);
    assertThat(repair.get("messages").get(3).get("content").getStringValue())
        .contains(
            "the \"title\" has 52 characters, at most 20 fit: write a shorter title, do not cut this one");
    assertThat(analysis(t).posts())
        .extracting(Post::title)
        .as("still unsuitable: kept for build_payload to cut")
        .containsOnly("Scaling Laws for Sparse Mixture-of-Experts Retrieval");
  }

  @Test
  void aChinesePostWithAnEnglishTitle_isAskedForAChineseOne() throws Exception {
    models.behave(
        "fake-gpt",
        ModelBehaviour.healthy()
            .withContent(
                "{\"title\":\"MoE scaling\",\"summary\":\"这篇论文研究缩放规律。\",\"keyPoints\":[\"缩放规律\"],\"tags\":[\"人工智能\"]}"));
    Task t = fetched("zh");
    analyze(t);
    JsonNode repair =
        json.readValue(models.calls("fake-gpt").get(1).body().toString(), JsonNode.class);
    assertThat(repair.get("messages").get(3).get("content").getStringValue())
        .contains("the \"title\" must be in Simplified Chinese");
  }

  @Test
  void malformedAfterRepair_everywhere_failsTheStepAtOnce_quotingTheAnswer_askingNoModelTwice() {
    models.behave("fake-gpt", ModelBehaviour.healthy().withMalformedAnswers(50));
    models.behave("fake-claude", ModelBehaviour.healthy().withMalformedAnswers(50));
    Task t = fetched("zh");
    assertThatThrownBy(() -> analyze(t))
        .as("terminal: the state machine does not pay for the same answers again")
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining("required JSON")
        .hasMessageContaining(
            "even after a repair request; it answered: \"Sure! Here is the post you asked for");
    // Each model is asked once and repaired once per paper at most (2 papers, 2 models).
    assertThat(models.calls("fake-gpt").size() + models.calls("fake-claude").size())
        .isLessThanOrEqualTo(2 * 2 * 2);
  }

  @Test
  void hangingModel_timesOutAndFallsBack() throws Exception {
    models.behave("fake-gpt", ModelBehaviour.healthy().hanging(5_000));
    Task t = fetched("zh");
    analyze(t);
    assertThat(analysis(t).posts()).allMatch(p -> p.model().equals("backup"));
  }

  @Test
  void wrongKey_isTerminalForThatModel_andNoKeyAppearsInErrorsOrLogs() {
    models.requireKey("sk-the-right-key-000000");
    try {
      Task t = fetched("zh");
      assertThatThrownBy(() -> analyze(t))
          .isInstanceOf(TerminalStepException.class)
          .hasMessageContaining("HTTP 401")
          .satisfies(
              e ->
                  assertThat(e.getMessage())
                      .doesNotContain(OPENAI_KEY)
                      .doesNotContain(ANTHROPIC_KEY));
      String stored =
          tasks.get(t.taskId()).task().steps().get(PaperDigest.ANALYZE).error().message();
      assertThat(stored).doesNotContain(OPENAI_KEY).doesNotContain(ANTHROPIC_KEY).contains("sk-…");
      assertThat(modelCalls.events())
          .allSatisfy(
              e ->
                  assertThat(e.getFormattedMessage())
                      .doesNotContain(OPENAI_KEY)
                      .doesNotContain(ANTHROPIC_KEY));
    } finally {
      models.requireKey(null);
    }
  }

  @Test
  void everyModelCall_writesOneStructuredLogLine() throws Exception {
    models.behave("fake-gpt", ModelBehaviour.failing(500));
    Task t = fetched("en");
    analyze(t);

    // paper 1: primary fails, backup answers; paper 2: the primary is cooling down, so only the
    // backup is called
    assertThat(modelCalls.events()).hasSize(3);
    JsonNode failed = json.readValue(modelCalls.fields(0), JsonNode.class);
    assertThat(failed.get("provider").getStringValue()).isEqualTo("openai-compatible");
    assertThat(failed.get("model").getStringValue()).isEqualTo("fake-gpt");
    assertThat(failed.get("outcome").getStringValue()).isEqualTo("TransientStepException");
    assertThat(failed.get("error").getStringValue()).contains("HTTP 500");
    JsonNode ok = json.readValue(modelCalls.fields(1), JsonNode.class);
    assertThat(ok.get("provider").getStringValue()).isEqualTo("anthropic");
    assertThat(ok.get("outcome").getStringValue()).isEqualTo("ok");
    assertThat(ok.get("promptTokens").getIntValue()).isEqualTo(120);
    assertThat(ok.get("completionTokens").getIntValue()).isEqualTo(80);
    assertThat(ok.get("taskId").getStringValue()).isEqualTo(t.taskId());
    assertThat(ok.get("step").getStringValue()).isEqualTo("analyze");
    assertThat(ok.get("durationMs").getLongValue()).isGreaterThanOrEqualTo(0);
    assertThat(ok.get("attempt").getIntValue()).isEqualTo(1);
    assertThat(ok.get("reason").getStringValue()).isEqualTo("first");
  }

  /** Whether a recorded request carried an API key. */
  static final class ModelCallKeyCheck {
    static boolean hasKey(ModelServer.Call call) {
      return call.keyPresent();
    }
  }
}
