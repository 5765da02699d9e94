package io.stepwise.pipelines.digest.papers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.fakes.Fault;
import io.stepwise.fakes.PaperSourceServer;
import io.stepwise.kit.papers.Paper;
import io.stepwise.kit.papers.PaperQuery;
import io.stepwise.model.Task;
import io.stepwise.pipelines.digest.DigestInput;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.steps.errors.RateLimitedException;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.steps.errors.TransientStepException;
import io.stepwise.tasks.TaskService;
import io.stepwise.testing.DigestServicesBase;
import io.stepwise.testing.StepDriver;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** fetch_papers through the step runtime against the local arXiv and Hugging Face servers. */
@MicronautTest(environments = "test")
class FetchPapersIT extends DigestServicesBase {

  @Inject TaskService tasks;
  @Inject JsonMapper json;
  StepDriver driver;

  @BeforeAll
  void setUp() {
    driver = new StepDriver(context);
  }

  private Task task(
      String source, List<String> categories, List<String> keywords, int days, int max) {
    return tasks.create(
        PaperDigest.NAME,
        tree(
            new DigestInput(
                source,
                new PaperQuery(categories, keywords, days),
                max,
                "zh",
                new DigestInput.Publish("none"),
                null)),
        null,
        null,
        null);
  }

  private PaperBatch fetch(Task task) throws Exception {
    driver.invoke(task.taskId(), task.currentRunId(), PaperDigest.FETCH_PAPERS);
    return json.readValue(
        tasks.get(task.taskId()).checkpoints().get(PaperDigest.FETCH_PAPERS).outputJson(),
        PaperBatch.class);
  }

  @Test
  void arxiv_returnsRecentPapersOfTheCategoriesNewestFirst() throws Exception {
    PaperBatch batch = fetch(task("arxiv", List.of("cs.AI"), List.of(), 2, 5));

    assertThat(batch.papers())
        .extracting(Paper::id)
        .containsExactlyInAnyOrder("2411.10001", "2411.10002", "2411.10004");
    assertThat(batch.papers().get(2).id()).isEqualTo("2411.10004");
    Paper first =
        batch.papers().stream().filter(p -> p.id().equals("2411.10001")).findFirst().orElseThrow();
    assertThat(first.title()).isEqualTo("Scaling Laws for Sparse Mixture-of-Experts Retrieval");
    assertThat(first.authors()).containsExactly("Lin Wei", "Maria Garcia");
    assertThat(first.abstractText())
        .startsWith("We study how retrieval quality")
        .doesNotContain("\n");
    assertThat(first.links().abs()).isEqualTo("http://arxiv.org/abs/2411.10001v1");
    assertThat(first.links().pdf()).isEqualTo("http://arxiv.org/pdf/2411.10001v1");
    assertThat(first.categories()).contains("cs.AI", "cs.CL");
    String request = papers.requests().get(0);
    assertThat(request).contains("sortBy=submittedDate", "sortOrder=descending", "max_results=5");
    assertThat(URLDecoder.decode(request, StandardCharsets.UTF_8))
        .contains("(cat:cs.AI)", "submittedDate:[");
  }

  @Test
  void arxiv_servesTwentyGeneratedPapers_withStableIds_insideTheWindow() throws Exception {
    Instant before = Instant.now();
    PaperBatch batch =
        fetch(task("arxiv", List.of(PaperSourceServer.GENERATED_CATEGORY), List.of(), 1, 20));

    assertThat(batch.papers())
        .extracting(Paper::id)
        .containsExactlyElementsOf(
            IntStream.rangeClosed(1, 20)
                .mapToObj(i -> String.format("2411.%05d", 20000 + i))
                .toList());
    assertThat(batch.papers())
        .allSatisfy(
            p ->
                assertThat(Instant.parse(p.published()))
                    .isBetween(before.minus(Duration.ofDays(1)), before));
    assertThat(batch.papers()).extracting(Paper::title).doesNotHaveDuplicates();
  }

  @Test
  void arxiv_feedAnswersAsManyAsAskedFor() throws Exception {
    String query =
        URLEncoder.encode("cat:" + PaperSourceServer.GENERATED_CATEGORY, StandardCharsets.UTF_8);
    String feed =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            papers.arxivUrl()
                                + "?search_query="
                                + query
                                + "&start=0&max_results=50"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(feed.split("<entry", -1)).hasSize(51);
    assertThat(feed)
        .contains(
            "<opensearch:totalResults>"
                + PaperSourceServer.GENERATED
                + "</opensearch:totalResults>");
  }

  @Test
  void arxiv_keywordsAndCategoriesNarrowTheQuery() throws Exception {
    PaperBatch batch = fetch(task("arxiv", List.of("cs.LG"), List.of("cache"), 3, 5));
    assertThat(batch.papers()).extracting(Paper::id).containsExactly("2411.10005");
  }

  @Test
  void huggingFace_readsEachDayOfTheWindow() throws Exception {
    PaperBatch batch = fetch(task("hf_daily", List.of(), List.of(), 3, 10));

    assertThat(batch.source()).isEqualTo("hf_daily");
    assertThat(batch.papers())
        .extracting(Paper::id)
        .containsExactly("2411.10001", "2411.10003", "2411.10005");
    assertThat(batch.papers().get(0).links().abs()).isEqualTo("https://arxiv.org/abs/2411.10001");
    assertThat(papers.requests()).hasSize(3).allMatch(r -> r.startsWith("/api/daily_papers?date="));
  }

  @Test
  void nothingFound_isTerminalWithAClearMessage() {
    Task t = task("arxiv", List.of("astro-ph"), List.of(), 1, 5);
    assertThatThrownBy(() -> driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.FETCH_PAPERS))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining("no papers matched");
  }

  @Test
  void serverError_isTransient() {
    papers.failNext("/api/query", Fault.status(503, "arXiv is busy"));
    Task t = task("arxiv", List.of("cs.AI"), List.of(), 2, 5);
    assertThatThrownBy(() -> driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.FETCH_PAPERS))
        .isInstanceOf(TransientStepException.class)
        .hasMessageContaining("HTTP 503");
  }

  @Test
  void tooManyRequests_isRateLimitedWithRetryAfter() {
    papers.failNext("/api/query", Fault.status(429, Map.of("Retry-After", "7"), "slow down"));
    Task t = task("arxiv", List.of("cs.AI"), List.of(), 2, 5);
    assertThatThrownBy(() -> driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.FETCH_PAPERS))
        .isInstanceOfSatisfying(
            RateLimitedException.class,
            e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(7)));
  }

  @Test
  void badRequest_isTerminal() {
    papers.failNext("/api/query", Fault.status(400, "malformed search_query"));
    Task t = task("arxiv", List.of("cs.AI"), List.of(), 2, 5);
    assertThatThrownBy(() -> driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.FETCH_PAPERS))
        .isInstanceOf(TerminalStepException.class)
        .hasMessageContaining("malformed search_query");
  }

  @Test
  void unreadableFeed_isTransient() {
    papers.failNext("/api/query", Fault.status(200, "<feed><entry>cut off"));
    Task t = task("arxiv", List.of("cs.AI"), List.of(), 2, 5);
    assertThatThrownBy(() -> driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.FETCH_PAPERS))
        .isInstanceOf(TransientStepException.class)
        .hasMessageContaining("unreadable feed");
  }

  @Test
  void hangingServer_timesOutAsTransient() {
    papers.failNext("/api/daily_papers", Fault.hang(5_000));
    Task t = task("hf_daily", List.of(), List.of(), 1, 5);
    assertThatThrownBy(() -> driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.FETCH_PAPERS))
        .isInstanceOf(TransientStepException.class)
        .hasMessageContaining("timed out");
  }
}
