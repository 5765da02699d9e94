package io.stepwise.pipelines.digest.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.JsonMapper;
import io.stepwise.fakes.Conversation;
import io.stepwise.kit.papers.Paper;
import io.stepwise.pipelines.digest.local.PaperDigestAnswers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The local model's posts (test sources' {@code digest.local}, served by the local model server)
 * for analyze's own prompt: each is the JSON analyze asks for, about its paper, with a title that
 * suits the post as analyze checks it (so no repair request is needed), and the same prompt always
 * gets the same post.
 */
class PaperDigestAnswersTest {

  private static final JsonMapper JSON = JsonMapper.createDefault();
  private static final PaperDigestAnswers ANSWERS = new PaperDigestAnswers();

  /** The arXiv fixture's papers (fakes' arxiv-feed.xml) and one generated one. */
  static final List<Paper> PAPERS =
      List.of(
          paper(
              "2411.10001",
              "Scaling Laws for Sparse Mixture-of-Experts Retrieval",
              "We study how retrieval quality scales with the number of experts in sparse mixture-of-experts retrievers and find a predictable power law across three orders of magnitude."),
          paper(
              "2411.10002",
              "Self-Correcting Agents with Verifiable Plans",
              "Agents that verify each plan step against a symbolic checker recover from 71% of their own mistakes without human feedback."),
          paper(
              "2411.10003",
              "A Benchmark for Long-Context Reasoning in Chinese",
              "We release a benchmark of 5,000 long documents in Chinese with questions that need evidence from several distant passages."),
          paper(
              "2411.10004",
              "Diffusion Models as Video World Simulators",
              "Video diffusion models trained on driving data predict plausible futures and can be used to evaluate planners offline."),
          paper(
              "2411.10005",
              "Efficient KV-Cache Compression for Serving LLMs",
              "Quantising the key-value cache to 3 bits with per-channel scales halves serving memory at under 0.5% quality loss."),
          paper(
              "2411.10006",
              "Reward Models That Explain Themselves",
              "Reward models trained to produce a rationale before the score are more robust to reward hacking in RLHF."),
          paper(
              "2411.10007",
              "Graph Neural Networks for Protein Docking",
              "An equivariant graph network docks proteins 40 times faster than physics-based search with comparable accuracy."),
          paper(
              "2411.10008",
              "Tool Use Without Fine-Tuning via In-Context Demonstrations",
              "Selecting demonstrations by tool signature similarity lets base models call unseen APIs reliably."),
          paper(
              "2411.20007",
              "Generated Study 7 on Statistical Estimation",
              "Generated paper 7 of the local paper source: an estimator with 2 tuning parameters, evaluated on synthetic data."));

  private static Paper paper(String id, String title, String abstractText) {
    return new Paper(
        id,
        title,
        List.of("A. Author", "B. Author"),
        abstractText,
        new Paper.Links("http://arxiv.org/abs/" + id + "v1", null),
        null,
        List.of("cs.AI"),
        "arxiv");
  }

  private static PostDraft post(Paper paper, String language) {
    Conversation asked =
        new Conversation(
            Prompts.system(language, 20),
            List.of(new Conversation.Turn("user", Prompts.paper(paper))));
    String text = ANSWERS.answer(asked).orElseThrow();
    assertThat(ANSWERS.answer(asked)).as("the same prompt, the same answer").contains(text);
    StringBuilder problem = new StringBuilder();
    PostDraft draft =
        PostDraft.parse(JSON, text, problem)
            .orElseThrow(() -> new AssertionError(problem + ": " + text));
    System.out.println(language + " " + paper.id() + ": " + draft);
    return draft;
  }

  /** The title's words that say what the paper is about (not "for", "with", "Benchmark", ...). */
  static Set<String> distinctive(String title) {
    Set<String> words = new HashSet<>();
    for (String w : title.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}-]+")) {
      if (w.length() > 3
          && !Set.of("with", "without", "that", "themselves", "benchmark", "models", "study")
              .contains(w)) {
        words.add(w);
      }
    }
    return words;
  }

  @ParameterizedTest
  @ValueSource(strings = {"en", "zh"})
  void eachPost_isAboutItsPaper_withATitleThatFits_inTheLanguageAsked(String language) {
    Set<String> titles = new HashSet<>();
    for (Paper paper : PAPERS) {
      PostDraft post = post(paper, language);
      assertThat(post.titleProblem(language, 20)).as(post.title()).isEmpty();
      assertThat(post.title()).isNotEqualTo(paper.title()).doesNotEndWith("…");
      assertThat(post.summary())
          .as("the summary does not repeat the paper's title")
          .doesNotContain(paper.title());
      assertThat(post.keyPoints()).hasSizeBetween(3, 5);
      assertThat(post.tags()).hasSizeBetween(3, 6).doesNotHaveDuplicates();
      List<String> points = new ArrayList<>(post.keyPoints());
      assertThat(points).as("no key point is just a tag").doesNotContainAnyElementsOf(post.tags());
      String said =
          (post.title() + " " + post.summary() + " " + String.join(" ", post.keyPoints()))
              .toLowerCase(Locale.ROOT);
      if ("en".equals(language)) {
        assertThat(distinctive(paper.title()))
            .as("a word of the title in " + said)
            .anyMatch(said::contains);
        assertThat(post.summary()).startsWith("The paper ");
      } else {
        assertThat(post.summary()).startsWith("这篇论文");
        assertThat(post.title()).containsPattern("\\p{IsHan}");
      }
      titles.add(post.title());
    }
    assertThat(titles).as("every paper its own title").hasSize(PAPERS.size());
  }

  @ParameterizedTest
  @ValueSource(ints = {16, 12})
  void aShorterTitleBudget_isKept(int max) {
    for (Paper paper : PAPERS) {
      for (String language : List.of("en", "zh")) {
        Conversation asked =
            new Conversation(
                Prompts.system(language, max),
                List.of(new Conversation.Turn("user", Prompts.paper(paper))));
        PostDraft post =
            PostDraft.parse(JSON, ANSWERS.answer(asked).orElseThrow(), new StringBuilder())
                .orElseThrow();
        assertThat(post.titleProblem(language, max)).as(post.title()).isEmpty();
      }
    }
  }

  @Test
  void otherPrompts_areNotAnswered() {
    assertThat(
            ANSWERS.answer(
                new Conversation(
                    "You plan research reports.",
                    List.of(new Conversation.Turn("user", "Topic: x")))))
        .isEmpty();
  }
}
