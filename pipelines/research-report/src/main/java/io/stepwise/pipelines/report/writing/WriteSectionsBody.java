package io.stepwise.pipelines.report.writing;

import io.stepwise.kit.models.StepModels;
import io.stepwise.models.CallPolicy;
import io.stepwise.models.ChatRequest;
import io.stepwise.models.ModelRouter;
import io.stepwise.pipelines.report.ReportConfig;
import io.stepwise.pipelines.report.ReportPrompts;
import io.stepwise.pipelines.report.ResearchReport;
import io.stepwise.pipelines.report.gather.Sources;
import io.stepwise.pipelines.report.plan.Plan;
import io.stepwise.steps.BoundedParallel;
import io.stepwise.steps.StepBody;
import io.stepwise.steps.StepContext;
import io.stepwise.steps.errors.StepException;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * write_sections: one routed model call per section, up to {@code concurrency} at once, each
 * finished draft kept at once (keyed by what it was written from), so a retry, redrive or a later
 * step's failure never pays for a section again. As analyze: every section is waited for, then a
 * terminal failure decides, else the error most worth retrying.
 */
@Singleton
@Named(ResearchReport.WRITE_SECTIONS_BODY)
public class WriteSectionsBody implements StepBody {

  private final ModelRouter router;
  private final ReportConfig config;
  private final CallPolicy policy;

  public WriteSectionsBody(ModelRouter router, ReportConfig config, StepModels models) {
    this.router = router;
    this.config = config;
    this.policy =
        models
            .settings(
                ResearchReport.NAME, ResearchReport.WRITE_SECTIONS, ReportConfig.SECTION_MODELS)
            .policy();
  }

  @Override
  public SectionDrafts run(StepContext context) {
    Plan plan = context.output(ResearchReport.PLAN, Plan.class);
    Sources sources = context.output(ResearchReport.GATHER, Sources.class);
    List<Integer> indexes = IntStream.range(0, plan.sections().size()).boxed().toList();
    List<String> prompts =
        indexes.stream()
            .map(
                i ->
                    prompt(
                        plan.title(), plan.sections().get(i), sources.sections().get(i).papers()))
            .toList();
    List<String> itemKeys =
        indexes.stream().map(i -> "section:" + i + ":" + Fingerprint.of(prompts.get(i))).toList();
    context.expectItems(itemKeys);
    List<BoundedParallel.Outcome<SectionDrafts.Draft>> outcomes =
        BoundedParallel.map(
            indexes,
            config.concurrency(),
            i -> {
              Plan.Section section = plan.sections().get(i);
              List<Sources.Source> papers = sources.sections().get(i).papers();
              String prompt = prompts.get(i);
              String itemKey = itemKeys.get(i);
              return context
                  .finishedItem(itemKey, SectionDrafts.Draft.class)
                  .orElseGet(
                      () -> {
                        SectionDrafts.Draft fresh = write(context, i, section, papers, prompt);
                        context.keepItem(itemKey, fresh);
                        return fresh;
                      });
            });
    List<SectionDrafts.Draft> drafts = new ArrayList<>();
    List<StepException> failures = new ArrayList<>();
    for (BoundedParallel.Outcome<SectionDrafts.Draft> outcome : outcomes) {
      if (!outcome.failed()) {
        drafts.add(outcome.value());
      } else if (outcome.error() instanceof StepException e) {
        failures.add(e);
      } else {
        throw outcome.error();
      }
    }
    if (!failures.isEmpty()) {
      throw failures.stream()
          .filter(e -> !e.retryable())
          .findFirst()
          .orElseGet(
              () ->
                  ModelRouter.strongest(
                      failures, failures.size() + " of " + indexes.size() + " sections failed"));
    }
    context.recordModel(
        drafts.stream()
            .map(SectionDrafts.Draft::model)
            .distinct()
            .collect(Collectors.joining(",")));
    return new SectionDrafts(drafts);
  }

  private SectionDrafts.Draft write(
      StepContext context,
      int index,
      Plan.Section section,
      List<Sources.Source> papers,
      String prompt) {
    ModelRouter.Routed<String> routed =
        router.call(
            policy,
            context.taskId(),
            ResearchReport.WRITE_SECTIONS,
            session ->
                session
                    .chat(
                        new ChatRequest(
                            ReportPrompts.sectionSystem(),
                            List.of(new ChatRequest.Message("user", prompt)),
                            policy.maxTokens(),
                            0.4))
                    .content()
                    .strip());
    Set<Integer> allowed = new LinkedHashSet<>(papers.stream().map(Sources.Source::n).toList());
    return new SectionDrafts.Draft(
        index,
        section.heading(),
        routed.value(),
        Citations.in(routed.value(), allowed),
        routed.model().name(),
        routed.reason());
  }

  static String prompt(String title, Plan.Section section, List<Sources.Source> papers) {
    StringBuilder p =
        new StringBuilder()
            .append("Report: ")
            .append(title)
            .append('\n')
            .append("Section: ")
            .append(section.heading())
            .append('\n')
            .append("Question: ")
            .append(section.question())
            .append('\n')
            .append("Papers:\n");
    if (papers.isEmpty()) {
      p.append("(none found: write from general knowledge and cite nothing)\n");
    }
    for (Sources.Source paper : papers) {
      p.append('[')
          .append(paper.n())
          .append("] ")
          .append(paper.title())
          .append(" (")
          .append(String.join(", ", paper.authors()))
          .append("): ")
          .append(paper.abstractText())
          .append('\n');
    }
    return p.toString();
  }
}
