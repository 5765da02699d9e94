package io.stepwise.pipelines.report.plan;

import io.micronaut.json.JsonMapper;
import io.stepwise.kit.models.StepModels;
import io.stepwise.kit.models.Unreadable;
import io.stepwise.models.CallPolicy;
import io.stepwise.models.ChatRequest;
import io.stepwise.models.ChatResult;
import io.stepwise.models.ModelRouter;
import io.stepwise.pipelines.report.ReportConfig;
import io.stepwise.pipelines.report.ReportInput;
import io.stepwise.pipelines.report.ReportPrompts;
import io.stepwise.pipelines.report.ResearchReport;
import io.stepwise.steps.StepBody;
import io.stepwise.steps.StepContext;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * plan: one routed model call for the title and the sections (each a question and search keywords),
 * the answer repaired once with a second request when it is not the JSON asked for, as analyze
 * does.
 */
@Singleton
@Named(ResearchReport.PLAN_BODY)
public class PlanBody implements StepBody {

  /** A plan shorter than this cannot hold three sections: a failed attempt. */
  static final int MIN_CHARS = 40;

  private final ModelRouter router;
  private final JsonMapper json;
  private final CallPolicy policy;

  public PlanBody(ModelRouter router, JsonMapper json, StepModels models) {
    this.router = router;
    this.json = json;
    this.policy =
        models
            .settings(ResearchReport.NAME, ResearchReport.PLAN, ReportConfig.PLAN_MODELS)
            .policy();
  }

  @Override
  public Plan run(StepContext context) {
    ReportInput input = context.input(ReportInput.class);
    ModelRouter.Routed<PlanParser.Draft> routed =
        router.call(
            policy, context.taskId(), ResearchReport.PLAN, session -> draft(session, input));
    context.recordModel(routed.model().name());
    return new Plan(
        routed.value().title(), routed.value().sections(), routed.model().name(), routed.reason());
  }

  private PlanParser.Draft draft(ModelRouter.Session session, ReportInput input) {
    List<ChatRequest.Message> messages =
        new ArrayList<>(
            List.of(
                new ChatRequest.Message(
                    "user", ReportPrompts.planUser(input.topic(), input.sections()))));
    String lastAnswer = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      ChatResult result =
          session.chat(
              new ChatRequest(
                  ReportPrompts.planSystem(input.sections()), messages, policy.maxTokens(), 0.3));
      lastAnswer = result.content();
      StringBuilder problem = new StringBuilder();
      Optional<PlanParser.Draft> draft =
          PlanParser.parse(json, result.content(), input.sections(), problem);
      if (draft.isPresent()) {
        return draft.get();
      }
      messages.add(new ChatRequest.Message("assistant", result.content()));
      messages.add(new ChatRequest.Message("user", ReportPrompts.repair(problem.toString())));
    }
    throw Unreadable.answer(session.model().name(), "the plan's JSON", lastAnswer);
  }
}
