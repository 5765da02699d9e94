package io.stepwise.pipelines.report;

import io.micronaut.json.tree.JsonNode;
import io.stepwise.model.PipelineDefinition;
import io.stepwise.pipelines.report.writing.ReportRules;
import java.util.List;
import java.util.Optional;

/**
 * The research report: {@code plan → gather → write_sections → write_report → deliver} (its
 * workflow generated into {@code pipelines/research-report/research-report.asl.json}). Found by the
 * core through {@code META-INF/services/io.stepwise.model.PipelineDefinition}, like the paper
 * digest.
 */
public final class ResearchReport implements PipelineDefinition {

  public static final String NAME = "research-report";

  public static final String PLAN = "plan";
  public static final String GATHER = "gather";
  public static final String WRITE_SECTIONS = "write_sections";
  public static final String WRITE_REPORT = "write_report";
  public static final String DELIVER = "deliver";

  /** The qualifier of a step body bean of this pipeline. */
  public static final String PLAN_BODY = NAME + "/" + PLAN;

  public static final String GATHER_BODY = NAME + "/" + GATHER;
  public static final String WRITE_SECTIONS_BODY = NAME + "/" + WRITE_SECTIONS;
  public static final String WRITE_REPORT_BODY = NAME + "/" + WRITE_REPORT;
  public static final String DELIVER_BODY = NAME + "/" + DELIVER;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String aslFile() {
    return "pipelines/research-report/research-report.asl.json";
  }

  @Override
  public String resultKind() {
    return "report";
  }

  /** A person may read the finished report before deliver sends it. */
  @Override
  public Optional<String> reviewAfter() {
    return Optional.of(WRITE_REPORT);
  }

  /** An edit of the report keeps it a report: no empty section. */
  @Override
  public List<String> outputViolations(String step, JsonNode output) {
    return WRITE_REPORT.equals(step)
        ? ReportRules.violations(output)
        : PipelineDefinition.super.outputViolations(step, output);
  }

  @Override
  public List<StepHandler> functions() {
    return List.of(
        new StepHandler(PLAN, "report-plan", PlanFunction.class, 1024, true, 120),
        new StepHandler(GATHER, "report-gather", GatherFunction.class, 1024, false, 300),
        new StepHandler(
            WRITE_SECTIONS, "report-write-sections", WriteSectionsFunction.class, 1024, true, 840),
        new StepHandler(
            WRITE_REPORT, "report-write-report", WriteReportFunction.class, 1024, true, 840),
        new StepHandler(DELIVER, "report-deliver", DeliverFunction.class, 1024, false, 300));
  }
}
