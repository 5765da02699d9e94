package io.stepwise.pipelines.report.writing;

import io.stepwise.kit.models.ModelStepSettings;
import io.stepwise.kit.models.StepModels;
import io.stepwise.models.CallPolicy;
import io.stepwise.models.ChatRequest;
import io.stepwise.models.ModelRouter;
import io.stepwise.pipelines.report.ReportConfig;
import io.stepwise.pipelines.report.ReportInput;
import io.stepwise.pipelines.report.ReportPrompts;
import io.stepwise.pipelines.report.ResearchReport;
import io.stepwise.pipelines.report.plan.Plan;
import io.stepwise.steps.StepBody;
import io.stepwise.steps.StepContext;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * write_report: the long report from the section drafts, in one routed call under the finish-reason
 * tactics (continue on length, back off on unknown, retry if short, backup last) ({@link
 * io.stepwise.models.ChatTactics}): {@code length} → the model is asked to continue and the parts
 * are stitched (at most {@code stepwise.pipelines.research-report.continuations} times), {@code
 * unknown} or missing → full-jitter backoff and retry, shorter than the task's {@code minChars} →
 * retry, the last attempt on the backup model, each attempt one model-call log line with its
 * reason. What still fails is a {@link io.stepwise.steps.errors.ModelOutputIncompleteException} the
 * state machine retries; the drafts stay in write_sections' checkpoint, so no retry pays for a
 * section again.
 */
@Singleton
@Named(ResearchReport.WRITE_REPORT_BODY)
public class WriteReportBody implements StepBody {

  private final ModelRouter router;
  private final ModelStepSettings settings;

  public WriteReportBody(ModelRouter router, StepModels models) {
    this.router = router;
    this.settings =
        models.settings(
            ResearchReport.NAME, ResearchReport.WRITE_REPORT, ReportConfig.REPORT_MODELS);
  }

  @Override
  public ReportDraft run(StepContext context) {
    ReportInput input = context.input(ReportInput.class);
    Plan plan = context.output(ResearchReport.PLAN, Plan.class);
    SectionDrafts drafts = context.output(ResearchReport.WRITE_SECTIONS, SectionDrafts.class);
    CallPolicy policy = settings.withMinChars(input.minChars()).policy();
    ChatRequest request =
        new ChatRequest(
            ReportPrompts.writeSystem(input.language()),
            List.of(new ChatRequest.Message("user", prompt(plan.title(), drafts))),
            policy.maxTokens(),
            0.4);
    ModelRouter.Routed<String> routed =
        router.call(
            policy,
            context.taskId(),
            ResearchReport.WRITE_REPORT,
            session -> session.chat(request).content().strip());
    context.recordModel(routed.model().name());
    String markdown = routed.value();
    return new ReportDraft(
        input.language(),
        markdown,
        markdown.codePointCount(0, markdown.length()),
        routed.model().name(),
        routed.reason());
  }

  static String prompt(String title, SectionDrafts drafts) {
    StringBuilder p = new StringBuilder("Title: ").append(title).append("\n");
    for (SectionDrafts.Draft d : drafts.sections()) {
      p.append("\n## ").append(d.heading()).append("\n\n").append(d.text()).append('\n');
    }
    return p.toString();
  }
}
