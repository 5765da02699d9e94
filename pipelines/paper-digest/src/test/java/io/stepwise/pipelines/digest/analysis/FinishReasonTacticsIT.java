package io.stepwise.pipelines.digest.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.fakes.ModelBehaviour;
import io.stepwise.fakes.ModelServer;
import io.stepwise.kit.models.StepModels;
import io.stepwise.kit.papers.PaperQuery;
import io.stepwise.model.Task;
import io.stepwise.models.CallPolicy;
import io.stepwise.models.ChatRequest;
import io.stepwise.models.ModelRouter;
import io.stepwise.pipelines.digest.DigestInput;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.tasks.TaskService;
import io.stepwise.testing.DigestServicesBase;
import io.stepwise.testing.HealthItems;
import io.stepwise.testing.ModelCallLog;
import io.stepwise.testing.StepDriver;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The finish-reason tactics through analyze against the local model servers, on both wire protocols
 * (the OpenAI-compatible primary; the Anthropic model as backup), with {@code
 * stepwise.pipelines.paper-digest.steps.analyze.backup} set.
 */
@MicronautTest(environments = "test")
class FinishReasonTacticsIT extends DigestServicesBase {

  @Inject TaskService tasks;
  @Inject JsonMapper json;
  @Inject ModelRouter router;
  @Inject StepModels stepModels;
  @RegisterExtension final ModelCallLog modelCalls = new ModelCallLog();
  StepDriver driver;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = new HashMap<>(super.getProperties());
    p.put("stepwise.pipelines.paper-digest.steps.analyze.concurrency", "1");
    p.put("stepwise.pipelines.paper-digest.steps.analyze.backup", "backup");
    p.put("stepwise.pipelines.paper-digest.steps.analyze.backoff-base", "20ms");
    p.put("stepwise.pipelines.paper-digest.steps.analyze.backoff-max", "100ms");
    return p;
  }

  @BeforeAll
  void setUp() {
    driver = new StepDriver(context);
  }

  @BeforeEach
  void freshHealth() {
    HealthItems.clear(table, "primary", "backup");
  }

  /** One paper, fetched. */
  private Task fetched() {
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
    driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.FETCH_PAPERS);
    models.reset();
    return t;
  }

  private Post analyzed(Task t) throws Exception {
    driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.ANALYZE);
    return json.readValue(
            tasks.get(t.taskId()).checkpoints().get(PaperDigest.ANALYZE).outputJson(),
            Analysis.class)
        .posts()
        .get(0);
  }

  private static List<Integer> maxTokens(List<ModelServer.Call> calls) {
    return calls.stream().map(c -> c.body().path("max_tokens").asInt()).toList();
  }

  private List<String> loggedReasons() throws Exception {
    List<String> reasons = new ArrayList<>();
    for (String line : modelCalls.lines()) {
      JsonNode node = json.readValue(line, JsonNode.class);
      reasons.add(
          node.get("modelName").getStringValue()
              + " #"
              + node.get("attempt").getIntValue()
              + " "
              + node.get("reason").getStringValue());
    }
    return reasons;
  }

  @Test
  void length_onOpenAi_isRetriedAtOnceWithMaxTokensDoubled() throws Exception {
    Task t = fetched();
    models.behave("fake-gpt", ModelBehaviour.healthy().needingTokens(2000));
    Post post = analyzed(t);
    assertThat(post.model()).isEqualTo("primary");
    assertThat(post.modelReason()).isEqualTo("chosen");
    assertThat(post.summary()).startsWith("The paper ");
    assertThat(maxTokens(models.calls("fake-gpt"))).containsExactly(1200, 2400);
    assertThat(loggedReasons())
        .containsExactly("primary #1 first", "primary #2 length: max_tokens 2400");
  }

  @Test
  void length_onAnthropic_maxTokensStopReason_isRetriedTheSameWay() throws Exception {
    Task t = fetched();
    models.behave("fake-gpt", ModelBehaviour.failing(503));
    models.behave("fake-claude", ModelBehaviour.healthy().needingTokens(3000));
    Post post = analyzed(t);
    assertThat(post.model()).isEqualTo("backup");
    assertThat(post.modelReason()).isEqualTo("fallback: primary unavailable");
    assertThat(maxTokens(models.calls("fake-claude"))).containsExactly(1200, 2400, 4800);
  }

  @Test
  void unknownAndMissing_areRetriedAfterABackoff() throws Exception {
    for (String reason : new String[] {"unknown", null}) {
      Task t = fetched();
      modelCalls.events().clear();
      models.behave("fake-gpt", ModelBehaviour.healthy().withFirstFinishReasons(reason));
      Post post = analyzed(t);
      assertThat(post.model()).isEqualTo("primary");
      assertThat(models.calls("fake-gpt")).hasSize(2);
      assertThat(loggedReasons()).hasSize(2).first().isEqualTo("primary #1 first");
      assertThat(loggedReasons().get(1))
          .matches("primary #2 " + (reason == null ? "missing" : reason) + ": backoff \\d+ ms");
    }
  }

  @Test
  void tooShort_isRetried() throws Exception {
    Task t = fetched();
    models.behave("fake-claude", ModelBehaviour.healthy().withShortAnswers(1));
    models.behave("fake-gpt", ModelBehaviour.failing(500));
    Post post = analyzed(t);
    assertThat(post.model()).isEqualTo("backup");
    assertThat(models.calls("fake-claude")).hasSize(2);
    assertThat(loggedReasons()).contains("backup #2 short: 2 chars");
  }

  @Test
  void theLastAttempt_goesToTheBackupProvider() throws Exception {
    Task t = fetched();
    models.behave("fake-gpt", ModelBehaviour.healthy().withFinishReason("unknown"));
    Post post = analyzed(t);
    assertThat(post.model()).isEqualTo("backup");
    assertThat(post.modelReason()).startsWith("backup: primary unknown");
    assertThat(models.calls("fake-gpt")).hasSize(2);
    assertThat(models.calls("fake-claude"))
        .hasSize(1)
        .allMatch(c -> c.protocol().equals("anthropic"));
    assertThat(loggedReasons().get(2)).isEqualTo("backup #3 backup after primary unknown");
  }

  @Test
  void contentFilter_goesToTheBackup_whenOneIsConfigured() throws Exception {
    Task t = fetched();
    models.behave("fake-gpt", ModelBehaviour.healthy().withFinishReason("content_filter"));
    Post post = analyzed(t);
    assertThat(post.model()).isEqualTo("backup");
    assertThat(post.modelReason()).isEqualTo("backup: primary content_filter");
    assertThat(models.calls("fake-gpt")).hasSize(1);
  }

  @Test
  void longOutput_continuesAndStitches_onBothProtocols() throws Exception {
    CallPolicy longOutput =
        stepModels
            .settings(PaperDigest.NAME, PaperDigest.ANALYZE, AnalyzeConfig.MODELS)
            .withStrategy("score")
            .withContinuations(4)
            .policy();
    for (String model : List.of("fake-gpt", "fake-claude")) {
      models.reset();
      if (model.equals("fake-claude")) {
        models.behave("fake-gpt", ModelBehaviour.failing(503));
        HealthItems.clear(table, "primary", "backup");
      }
      String whole =
          router
              .call(longOutput, "t-long", "analyze", s -> s.chat(request(100_000)).content())
              .value();
      models.reset();
      if (model.equals("fake-claude")) {
        models.behave("fake-gpt", ModelBehaviour.failing(503));
        HealthItems.clear(table, "primary", "backup");
      }
      models.behave(model, ModelBehaviour.healthy().needingTokens(3000));
      ModelRouter.Routed<String> routed =
          router.call(longOutput, "t-long", "analyze", s -> s.chat(request(1200)).content());
      assertThat(routed.value()).as(model).isEqualTo(whole);
      assertThat(PostDraft.parse(json, routed.value(), new StringBuilder())).isPresent();
      List<ModelServer.Call> calls = models.calls(model);
      assertThat(calls).as("1200 of 3000 tokens a part: three parts").hasSize(3);
      assertThat(calls.get(2).body().path("messages").toString())
          .contains("Continue exactly where");
      assertThat(maxTokens(calls)).containsOnly(1200);
    }
  }

  private static ChatRequest request(int maxTokens) {
    return new ChatRequest(
        Prompts.system("en", 20),
        List.of(new ChatRequest.Message("user", "Title: A long one\nAuthors: A\nAbstract: B")),
        maxTokens,
        0.3);
  }
}
