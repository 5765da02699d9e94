package io.stepwise.pipelines.report.writing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.fakes.Conversation;
import io.stepwise.pipelines.report.ReportPrompts;
import io.stepwise.pipelines.report.deliver.ReportDocument;
import io.stepwise.pipelines.report.gather.Sources;
import io.stepwise.pipelines.report.local.ResearchReportAnswers;
import io.stepwise.pipelines.report.plan.Plan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The local model's sections and report (test sources' {@code report.local}) for write_sections'
 * and write_report's own prompts, from a local plan: each section answers its question from its
 * papers (their titles and numbers), one without papers says so; the report keeps the title, every
 * section in order with its citations and no new ones, in the language asked, long enough for the
 * default minimum (2000 characters) even with three sections and no paper.
 */
class LocalWritingAnswersTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResearchReportAnswers ANSWERS = new ResearchReportAnswers();

  private static String ask(String system, String user) {
    Conversation asked = new Conversation(system, List.of(new Conversation.Turn("user", user)));
    String answer = ANSWERS.answer(asked).orElseThrow();
    assertThat(ANSWERS.answer(asked)).as("the same prompt, the same answer").contains(answer);
    return answer;
  }

  private static Plan plan(String topic, int count) throws Exception {
    String answer = ask(ReportPrompts.planSystem(count), ReportPrompts.planUser(topic, count));
    JsonNode node = JSON.readTree(answer.replaceAll("^```json\\s*|\\s*```$", ""));
    List<Plan.Section> sections = new ArrayList<>();
    for (JsonNode s : node.path("sections")) {
      List<String> keywords = new ArrayList<>();
      s.path("keywords").forEach(k -> keywords.add(k.asText()));
      sections.add(
          new Plan.Section(s.path("heading").asText(), s.path("question").asText(), keywords));
    }
    return new Plan(node.path("title").asText(), sections, "local", "chosen");
  }

  private static Sources.Source paper(int n, String title, String abstractText) {
    return new Sources.Source(
        n,
        "2411.1000" + n,
        title,
        List.of("A. Author"),
        abstractText,
        "http://arxiv.org/abs/2411.1000" + n + "v1",
        null);
  }

  private static final List<List<Sources.Source>> PAPERS =
      List.of(
          List.of(
              paper(
                  1,
                  "Graph Neural Networks for Protein Docking",
                  "An equivariant graph network docks proteins 40 times faster than physics-based search with comparable accuracy."),
              paper(
                  2,
                  "Diffusion Models as Video World Simulators",
                  "Video diffusion models trained on driving data predict plausible futures and can be used to evaluate planners offline.")),
          List.of(),
          List.of(
              paper(
                  3,
                  "A Benchmark for Long-Context Reasoning in Chinese",
                  "We release a benchmark of 5,000 long documents in Chinese with questions that need evidence from several distant passages.")));

  private static SectionDrafts sections(Plan plan, List<List<Sources.Source>> papers) {
    List<SectionDrafts.Draft> drafts = new ArrayList<>();
    for (int i = 0; i < plan.sections().size(); i++) {
      List<Sources.Source> given = i < papers.size() ? papers.get(i) : List.of();
      String text =
          ask(
              ReportPrompts.sectionSystem(),
              WriteSectionsBody.prompt(plan.title(), plan.sections().get(i), given));
      Set<Integer> allowed = new HashSet<>(given.stream().map(Sources.Source::n).toList());
      drafts.add(
          new SectionDrafts.Draft(
              i,
              plan.sections().get(i).heading(),
              text,
              Citations.in(text, allowed),
              "local",
              "chosen"));
    }
    return new SectionDrafts(drafts);
  }

  @Test
  void eachSection_answersItsQuestion_fromItsPapers() throws Exception {
    Plan plan = plan("protein folding with diffusion models", 3);
    SectionDrafts drafts = sections(plan, PAPERS);
    for (int i = 0; i < 3; i++) {
      String text = drafts.sections().get(i).text();
      System.out.println(text + "\n");
      assertThat(text)
          .contains(plan.sections().get(i).question())
          .contains("protein folding with diffusion models");
      assertThat(text.length()).as("section-min-chars").isGreaterThanOrEqualTo(200);
      for (Sources.Source paper : PAPERS.get(i)) {
        assertThat(text).contains("\"" + paper.title() + "\" [" + paper.n() + "]");
      }
      assertThat(drafts.sections().get(i).citations())
          .containsExactlyElementsOf(PAPERS.get(i).stream().map(Sources.Source::n).toList());
    }
    assertThat(drafts.sections().get(0).text()).contains("40 times faster", "40 times [1]");
    assertThat(drafts.sections().get(1).text()).contains("No recent paper").doesNotContain("[");
    assertThat(drafts.sections().get(2).text()).contains("the authors release a benchmark");
  }

  @ParameterizedTest
  @ValueSource(strings = {"en", "zh"})
  void theReport_keepsTheSectionsAndTheirCitations_inTheLanguageAsked(String language)
      throws Exception {
    Plan plan = plan("protein folding with diffusion models", 3);
    SectionDrafts drafts = sections(plan, PAPERS);
    String markdown =
        ask(ReportPrompts.writeSystem(language), WriteReportBody.prompt(plan.title(), drafts));
    System.out.println(markdown);

    List<ReportDocument.Section> sections = ReportDocument.sections(markdown);
    assertThat(sections).hasSize(3);
    for (int i = 0; i < 3; i++) {
      Set<Integer> all = Set.of(1, 2, 3);
      assertThat(Citations.in(sections.get(i).text(), all))
          .as("section " + i + "'s citations")
          .isEqualTo(drafts.sections().get(i).citations());
    }
    if ("en".equals(language)) {
      assertThat(ReportDocument.title(markdown, ""))
          .isEqualTo("A survey of protein folding with diffusion models");
      assertThat(sections)
          .extracting(ReportDocument.Section::heading)
          .containsExactlyElementsOf(plan.sections().stream().map(Plan.Section::heading).toList());
      assertThat(sections.get(0).text()).contains(drafts.sections().get(0).text());
    } else {
      assertThat(ReportDocument.title(markdown, ""))
          .isEqualTo("protein folding with diffusion models研究综述");
      assertThat(sections)
          .extracting(ReportDocument.Section::heading)
          .as("the plan's headings in Chinese")
          .containsExactly(
              "Protein folding with diffusion models：问题与背景",
              "Protein folding with diffusion models的主要方法",
              "如何评测protein folding with diffusion models");
      assertThat(sections).allSatisfy(s -> assertThat(s.text()).containsPattern("\\p{IsHan}{20}"));
      assertThat(sections.get(0).text())
          .contains("《Graph Neural Networks for Protein Docking》[1]报告的关键数字是40倍");
      assertThat(sections.get(0).text()).isNotEqualTo(sections.get(1).text());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"en", "zh"})
  void aReportOfThreeSectionsWithoutPapers_isStillLongEnoughForTheDefaultMinimum(String language)
      throws Exception {
    for (String topic : List.of("flaky providers", "多智能体系统", "x")) {
      Plan plan = plan(topic, 3);
      String markdown =
          ask(
              ReportPrompts.writeSystem(language),
              WriteReportBody.prompt(plan.title(), sections(plan, List.of())));
      assertThat(markdown.codePointCount(0, markdown.length()))
          .as(topic + " in " + language)
          .isGreaterThanOrEqualTo(2000);
      assertThat(markdown.toLowerCase(Locale.ROOT)).contains(topic);
    }
  }

  @Test
  void paragraphs_areNotTheSameInEverySection() throws Exception {
    Plan plan = plan("LLM agents", 6);
    String markdown =
        ask(
            ReportPrompts.writeSystem("zh"),
            WriteReportBody.prompt(plan.title(), sections(plan, List.of())));
    List<String> paragraphs = new ArrayList<>();
    ReportDocument.sections(markdown)
        .forEach(s -> paragraphs.addAll(List.of(s.text().split("\n\n"))));
    long distinct = paragraphs.stream().distinct().count();
    assertThat(distinct)
        .as("distinct paragraphs of " + paragraphs.size())
        .isEqualTo(paragraphs.size());
  }
}
