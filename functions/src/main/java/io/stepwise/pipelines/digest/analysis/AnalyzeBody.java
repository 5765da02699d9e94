package io.stepwise.pipelines.digest.analysis;

import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.stepwise.models.ChatRequest;
import io.stepwise.models.ChatResult;
import io.stepwise.models.ModelGateway;
import io.stepwise.models.ModelSelector;
import io.stepwise.pipelines.digest.papers.Paper;
import io.stepwise.pipelines.digest.papers.PaperBatch;
import io.stepwise.steps.StepBody;
import io.stepwise.steps.StepContext;
import io.stepwise.pipelines.digest.DigestInput;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.steps.errors.ModelOutputIncompleteException;
import io.stepwise.steps.errors.RateLimitedException;
import io.stepwise.steps.errors.StepException;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.steps.errors.TransientStepException;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * analyze: one chat completion per paper, through the selected model and its fallback chain. Each finished
 * post is kept at once (keyed by paper and language), so a retry or redrive never pays for it again.
 */
@Singleton
@Named(PaperDigest.ANALYZE_BODY)
public class AnalyzeBody implements StepBody {

  private final ModelSelector selector;
  private final ModelGateway gateway;
  private final JsonMapper json;
  private final int maxTokens;

  public AnalyzeBody(ModelSelector selector, ModelGateway gateway, JsonMapper json, @Value("${stepwise.analyze.max-tokens:1200}") int maxTokens) {
    this.selector = selector;
    this.gateway = gateway;
    this.json = json;
    this.maxTokens = maxTokens;
  }

  @Override
  public Analysis run(StepContext context) {
    PaperBatch batch = context.output(PaperDigest.FETCH_PAPERS, PaperBatch.class);
    String language = context.input(DigestInput.class).language();
    List<Post> posts = new ArrayList<>();
    Set<String> models = new LinkedHashSet<>();
    for (Paper paper : batch.papers()) {
      String itemKey = paper.id() + ":" + language;
      Post post = context.finishedItem(itemKey, Post.class).orElseGet(() -> {
        Post fresh = analyze(paper, language, context);
        context.keepItem(itemKey, fresh);
        return fresh;
      });
      posts.add(post);
      models.add(post.model());
    }
    context.recordModel(String.join(",", models));
    return new Analysis(language, posts);
  }

  /** Tries each candidate model in turn; a refusal of the content ends the chain, other failures move on. */
  private Post analyze(Paper paper, String language, StepContext context) {
    List<StepException> failures = new ArrayList<>();
    List<ModelSelector.Choice> candidates = selector.candidates();
    if (candidates.isEmpty()) {
      throw new TerminalStepException("no enabled model is configured for analyze");
    }
    for (ModelSelector.Choice choice : candidates) {
      try {
        PostDraft draft = draft(choice, paper, language, context);
        return new Post(paper.id(), draft.title(), draft.summary(), draft.keyPoints(), draft.tags(), language,
            paper.title(), paper.links().abs(), choice.model().name(), choice.reason());
      } catch (ContentRefused refused) {
        throw refused.error;
      } catch (StepException e) {
        selector.reportFailure(choice.model(), e);
        failures.add(e);
      }
    }
    throw strongest(failures, paper);
  }

  private PostDraft draft(ModelSelector.Choice choice, Paper paper, String language, StepContext context) {
    List<ChatRequest.Message> messages = new ArrayList<>(List.of(new ChatRequest.Message("user", Prompts.paper(paper))));
    for (int attempt = 0; attempt < 2; attempt++) {
      ChatResult result = gateway.chat(choice.model(), new ChatRequest(Prompts.system(language), messages, maxTokens, 0.3), context.taskId(), PaperDigest.ANALYZE);
      if ("content_filter".equals(result.finishReason())) {
        throw new ContentRefused(new TerminalStepException(
            choice.model().name() + " refused the content of paper " + paper.id() + " (finish_reason content_filter)"));
      }
      ModelGateway.requireComplete(choice.model(), result);
      StringBuilder problem = new StringBuilder();
      Optional<PostDraft> draft = PostDraft.parse(json, result.content(), problem);
      if (draft.isPresent()) {
        return draft.get();
      }
      messages.add(new ChatRequest.Message("assistant", result.content()));
      messages.add(new ChatRequest.Message("user", Prompts.repair(problem.toString())));
    }
    throw new TransientStepException(choice.model().name() + " did not answer with the required JSON for paper " + paper.id() + ", even after a repair request");
  }

  /** The error most worth retrying: rate limit (longest wait), then incomplete output, then transient, then terminal. */
  private static StepException strongest(List<StepException> failures, Paper paper) {
    Optional<RateLimitedException> limited = failures.stream().filter(RateLimitedException.class::isInstance).map(RateLimitedException.class::cast)
        .max(Comparator.comparing(e -> e.retryAfter().orElse(java.time.Duration.ZERO)));
    if (limited.isPresent()) {
      return limited.get();
    }
    for (Class<? extends StepException> type : List.of(ModelOutputIncompleteException.class, TransientStepException.class)) {
      Optional<StepException> found = failures.stream().filter(type::isInstance).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
    }
    return new TerminalStepException("every model failed for paper " + paper.id() + ": "
        + String.join("; ", failures.stream().map(Throwable::getMessage).toList()));
  }

  /** Carries a content refusal past the fallback loop. */
  private static final class ContentRefused extends RuntimeException {
    private final TerminalStepException error;

    ContentRefused(TerminalStepException error) {
      super(error.getMessage(), null, false, false);
      this.error = error;
    }
  }
}
