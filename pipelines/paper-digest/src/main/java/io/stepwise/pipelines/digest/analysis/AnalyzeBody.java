package io.stepwise.pipelines.digest.analysis;

import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.stepwise.kit.models.StepModels;
import io.stepwise.kit.models.Unreadable;
import io.stepwise.kit.papers.Paper;
import io.stepwise.models.CallPolicy;
import io.stepwise.models.ChatRequest;
import io.stepwise.models.ChatResult;
import io.stepwise.models.ModelCatalog;
import io.stepwise.models.ModelRouter;
import io.stepwise.models.ModelSpec;
import io.stepwise.models.PromptSize;
import io.stepwise.pipelines.digest.DigestInput;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.pipelines.digest.papers.PaperBatch;
import io.stepwise.steps.BoundedParallel;
import io.stepwise.steps.StepBody;
import io.stepwise.steps.StepContext;
import io.stepwise.steps.errors.StepException;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * analyze: one routed model call per paper (plus a repair request when the answer is not the JSON
 * asked for), up to {@code concurrency} papers at once. Each finished post is kept as soon as it is
 * finished (keyed by paper and language), so a retry or redrive never pays for it again, and one
 * paper's failure (a 429, say) does not lose the others: the step waits for every paper, then fails
 * with a paper's terminal error if there is one, else the error most worth retrying. The posts stay
 * in the papers' order.
 */
@Singleton
@Named(PaperDigest.ANALYZE_BODY)
public class AnalyzeBody implements StepBody {

  /**
   * RedNote's title limit (build_payload's {@code PlatformRules.REDNOTE}); a fixed title prefix
   * takes its share.
   */
  static final int TITLE_MAX = 20;

  /** However long the prefix, the model gets room for a title of a few words. */
  private static final int TITLE_MIN = 8;

  private static final Logger LOG = LoggerFactory.getLogger(AnalyzeBody.class);

  /** Room kept in the window for a repair request (the first answer and the request's text). */
  private static final int REPAIR_ROOM = 100;

  private final ModelRouter router;
  private final ModelCatalog catalog;
  private final JsonMapper json;
  private final AnalyzeConfig config;
  private final CallPolicy policy;
  private final int titleMax;

  /**
   * @param titlePrefix build_payload puts it before every title ({@code
   *     stepwise.publish.title-prefix}), so the model is asked for a title that fits beside it
   */
  public AnalyzeBody(
      ModelRouter router,
      ModelCatalog catalog,
      JsonMapper json,
      AnalyzeConfig config,
      StepModels models,
      @Value("${stepwise.publish.title-prefix:}") String titlePrefix) {
    this.router = router;
    this.catalog = catalog;
    this.json = json;
    this.config = config;
    this.policy =
        models.settings(PaperDigest.NAME, PaperDigest.ANALYZE, AnalyzeConfig.MODELS).policy();
    String prefix = titlePrefix == null ? "" : titlePrefix.strip();
    this.titleMax = Math.max(TITLE_MIN, TITLE_MAX - prefix.codePointCount(0, prefix.length()));
  }

  @Override
  public Analysis run(StepContext context) {
    PaperBatch batch = context.output(PaperDigest.FETCH_PAPERS, PaperBatch.class);
    String language = context.input(DigestInput.class).language();
    context.expectItems(batch.papers().stream().map(paper -> paper.id() + ":" + language).toList());
    List<BoundedParallel.Outcome<Post>> outcomes =
        BoundedParallel.map(
            batch.papers(),
            config.concurrency(),
            paper -> {
              String itemKey = paper.id() + ":" + language;
              return context
                  .finishedItem(itemKey, Post.class)
                  .orElseGet(
                      () -> {
                        Post fresh = analyze(paper, language, context);
                        context.keepItem(itemKey, fresh);
                        return fresh;
                      });
            });
    List<Post> posts = new ArrayList<>();
    List<StepException> failures = new ArrayList<>();
    Set<String> models = new LinkedHashSet<>();
    for (BoundedParallel.Outcome<Post> outcome : outcomes) {
      if (!outcome.failed()) {
        posts.add(outcome.value());
        models.add(outcome.value().model());
      } else if (outcome.error() instanceof StepException e) {
        failures.add(e);
      } else {
        throw outcome.error();
      }
    }
    if (!failures.isEmpty()) {
      // A paper that failed terminally fails again on any retry, so it decides; otherwise the error
      // most worth
      // retrying (e.g. a 429's longest Retry-After) goes to the state machine.
      Optional<StepException> terminal = failures.stream().filter(e -> !e.retryable()).findFirst();
      throw terminal.orElseGet(
          () ->
              ModelRouter.strongest(
                  failures, failures.size() + " of " + batch.papers().size() + " papers failed"));
    }
    context.recordModel(String.join(",", models));
    return new Analysis(language, posts);
  }

  private Post analyze(Paper paper, String language, StepContext context) {
    ModelRouter.Routed<PostDraft> routed =
        router.call(
            policy,
            context.taskId(),
            PaperDigest.ANALYZE,
            session -> draft(session, paper, language));
    PostDraft draft = routed.value();
    return new Post(
        paper.id(),
        draft.title(),
        draft.summary(),
        draft.keyPoints(),
        draft.tags(),
        language,
        paper.title(),
        paper.links().abs(),
        routed.model().name(),
        routed.reason());
  }

  /**
   * The paper's prompt, its abstract shortened when the prompt would be above {@link
   * PromptSize#SHRINK_ABOVE} of the model's context window (room kept for the answer and a repair
   * request). A prompt that does not fit even so is refused unsent by the gateway.
   */
  private String fitted(Paper paper, String system, ModelSpec model) {
    String whole = Prompts.paper(paper);
    int budget =
        PromptSize.promptBudget(catalog.contextWindow(model.name()), policy.maxTokens())
            - policy.maxTokens()
            - REPAIR_ROOM;
    int used = PromptSize.estimate(system) + PromptSize.estimate(whole);
    if (used <= budget) {
      return whole;
    }
    int rest = budget - (used - PromptSize.estimate(paper.abstractText()));
    String shortened =
        Prompts.paper(paper, PromptSize.cut(paper.abstractText(), Math.max(0, rest)));
    LOG.info(
        "prompt for paper {} shrunk from about {} to {} tokens to fit {}'s context window of {}",
        paper.id(),
        used,
        PromptSize.estimate(system) + PromptSize.estimate(shortened),
        model.name(),
        catalog.contextWindow(model.name()));
    return shortened;
  }

  /**
   * The model's post. An answer that is not the JSON asked for, or whose title does not suit the
   * post (too long, or not Chinese in a Chinese post), gets one repair request. A post whose title
   * still does not suit is used as it is (build_payload cuts a title that is too long); no post at
   * all after the repair is {@link Unreadable}: this model is not asked again for this paper.
   */
  private PostDraft draft(ModelRouter.Session session, Paper paper, String language) {
    String system = Prompts.system(language, titleMax);
    List<ChatRequest.Message> messages =
        new ArrayList<>(
            List.of(new ChatRequest.Message("user", fitted(paper, system, session.model()))));
    PostDraft misfitting = null;
    String lastAnswer = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      ChatResult result = session.chat(new ChatRequest(system, messages, policy.maxTokens(), 0.3));
      lastAnswer = result.content();
      StringBuilder problem = new StringBuilder();
      Optional<PostDraft> draft = PostDraft.parse(json, result.content(), problem);
      if (draft.isPresent()) {
        Optional<String> misfit = draft.get().titleProblem(language, titleMax);
        if (misfit.isEmpty() || attempt == 1) {
          return draft.get();
        }
        misfitting = draft.get();
        problem.append(misfit.get());
      }
      messages.add(new ChatRequest.Message("assistant", result.content()));
      messages.add(new ChatRequest.Message("user", Prompts.repair(problem.toString())));
    }
    if (misfitting != null) {
      return misfitting;
    }
    throw Unreadable.answer(
        session.model().name(), "the required JSON for paper " + paper.id(), lastAnswer);
  }
}
