package io.stepwise.pipelines.report.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.JsonMapper;
import io.stepwise.fakes.Conversation;
import io.stepwise.pipelines.report.ReportPrompts;
import io.stepwise.pipelines.report.local.ResearchReportAnswers;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The local model's plan (test sources' {@code report.local}) for plan's own prompt: the JSON plan
 * asks for, with as many sections as asked, each heading and question about the topic, keywords
 * from the topic (a Chinese topic's in English, for arXiv), and the first two sections sharing one.
 */
class LocalPlanAnswerTest {

  private static final JsonMapper JSON = JsonMapper.createDefault();

  @ParameterizedTest
  @CsvSource({
    "protein folding with diffusion models, 3, protein",
    "protein folding with diffusion models, 6, diffusion",
    "LLM agents, 4, agents",
    "多智能体系统, 4, agents",
    "flaky providers, 3, providers"
  })
  void thePlan_isAboutTheTopic(String topic, int sections, String keyword) {
    Conversation asked =
        new Conversation(
            ReportPrompts.planSystem(sections),
            List.of(new Conversation.Turn("user", ReportPrompts.planUser(topic, sections))));
    String answer = new ResearchReportAnswers().answer(asked).orElseThrow();
    assertThat(new ResearchReportAnswers().answer(asked)).contains(answer);
    StringBuilder problem = new StringBuilder();
    PlanParser.Draft plan =
        PlanParser.parse(JSON, answer, sections, problem)
            .orElseThrow(() -> new AssertionError(problem));
    System.out.println(answer);

    assertThat(plan.title()).contains(topic);
    assertThat(plan.sections()).hasSize(sections);
    assertThat(plan.sections())
        .allSatisfy(s -> assertThat(s.heading() + " " + s.question()).contains(topic));
    assertThat(plan.sections()).extracting(Plan.Section::question).doesNotHaveDuplicates();
    assertThat(plan.sections().stream().flatMap(s -> s.keywords().stream())).contains(keyword);
    assertThat(plan.sections().get(0).keywords())
        .containsAnyElementsOf(plan.sections().get(1).keywords());
  }
}
