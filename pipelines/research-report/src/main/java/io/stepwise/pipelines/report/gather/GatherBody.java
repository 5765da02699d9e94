package io.stepwise.pipelines.report.gather;

import io.stepwise.kit.papers.ArxivSource;
import io.stepwise.kit.papers.Paper;
import io.stepwise.kit.papers.PaperQuery;
import io.stepwise.kit.papers.PaperSource;
import io.stepwise.pipelines.report.ReportConfig;
import io.stepwise.pipelines.report.ResearchReport;
import io.stepwise.pipelines.report.plan.Plan;
import io.stepwise.steps.StepBody;
import io.stepwise.steps.StepContext;
import io.stepwise.steps.errors.TerminalStepException;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * gather: the digest's arXiv source searched once per planned section by its keywords (one request
 * after the other, as arXiv asks of API clients), twice the papers a section keeps fetched so that
 * de-duplication across sections still leaves each enough. No paper at all is terminal: the plan's
 * keywords find nothing.
 */
@Singleton
@Named(ResearchReport.GATHER_BODY)
public class GatherBody implements StepBody {

  private final ArxivSource arxiv;
  private final ReportConfig config;

  public GatherBody(ArxivSource arxiv, ReportConfig config) {
    this.arxiv = arxiv;
    this.config = config;
  }

  @Override
  public Sources run(StepContext context) {
    Plan plan = context.output(ResearchReport.PLAN, Plan.class);
    List<List<Paper>> found = new ArrayList<>();
    List<String> queries = new ArrayList<>();
    for (Plan.Section section : plan.sections()) {
      PaperSource.Result result =
          arxiv.fetch(
              new PaperQuery(List.of(), section.keywords(), config.days()),
              config.papersPerSection() * 2);
      found.add(result.papers());
      queries.add(result.query());
    }
    List<List<Sources.Source>> kept = Dedupe.assign(found, config.papersPerSection());
    if (kept.stream().allMatch(List::isEmpty)) {
      throw new TerminalStepException(
          "no papers matched any section's keywords in the last "
              + config.days()
              + " days; rerun from plan for other keywords");
    }
    List<Sources.Section> sections = new ArrayList<>();
    for (int i = 0; i < plan.sections().size(); i++) {
      sections.add(
          new Sources.Section(plan.sections().get(i).heading(), queries.get(i), kept.get(i)));
    }
    return new Sources(sections);
  }
}
