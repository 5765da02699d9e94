package io.stepwise.models;

import io.micronaut.context.annotation.Value;
import io.stepwise.steps.errors.ModelOutputIncompleteException;
import io.stepwise.steps.errors.RateLimitedException;
import io.stepwise.steps.errors.StepException;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.steps.errors.TransientStepException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The model-calling library for pipeline steps: routes one unit of work (which may take several
 * chat calls, e.g. a repair request) to a model picked by the policy's strategy, applies the
 * finish-reason tactics to each call, and falls back along the chain when a model fails. Safe to
 * call from many threads at once: each model's calls are bounded by {@link ModelLoad}, and a model
 * whose places are all taken is passed over for the next one that has a free place (when every
 * candidate is full, the first choice is waited for).
 *
 * <p>A refusal of the content ends the chain (another model would be sent the same content); every
 * other failure is reported to the selector (cooldown) and the next candidate is tried. When all
 * fail, the error most worth retrying is thrown: rate limited (longest Retry-After), incomplete
 * output, transient, else terminal.
 *
 * <p>A rate limit that asks for a short wait (up to {@code stepwise.rate-limits.max-inline-wait},
 * 20 s by default, in all for one call, and at most {@link #MAX_INLINE_WAITS} times) is waited out
 * here, inside the invocation, and the call routed again; a longer one is thrown for the state
 * machine to wait (see {@link RateLimitedException}). The wait runs at the workflow's time scale
 * ({@code stepwise.workflow.time-scale}), like the state machine's own waits.
 */
@Singleton
public class ModelRouter {

  private final ModelSelector selector;
  private final ChatTactics tactics;

  /**
   * At most this many waits inside one call, however short: a provider answering 429 again and
   * again is left to the state machine.
   */
  static final int MAX_INLINE_WAITS = 3;

  private final ModelLoad load;
  private final Duration maxInlineWait;
  private final double timeScale;

  /** Without inline waits: every rate limit goes to the state machine. */
  public ModelRouter(ModelSelector selector, ChatTactics tactics, ModelLoad load) {
    this(selector, tactics, load, Duration.ZERO, 1);
  }

  @Inject
  public ModelRouter(
      ModelSelector selector,
      ChatTactics tactics,
      ModelLoad load,
      @Value("${stepwise.rate-limits.max-inline-wait:20s}") Duration maxInlineWait,
      @Value("${stepwise.workflow.time-scale:1}") double timeScale) {
    if (maxInlineWait.isNegative() || timeScale <= 0) {
      throw new IllegalArgumentException(
          "stepwise.rate-limits.max-inline-wait must not be negative and the time scale must be positive");
    }
    this.selector = selector;
    this.tactics = tactics;
    this.load = load;
    this.maxInlineWait = maxInlineWait;
    this.timeScale = timeScale;
  }

  /**
   * The work to route: given a session on one model, its result (a StepException fails this model).
   */
  @FunctionalInterface
  public interface Work<T> {
    T run(Session session);
  }

  /**
   * What the work got, which model gave its last answer and why that model: {@code chosen}, {@code
   * fallback: <model> <what happened>; ...}, or {@code backup: <why>} when the tactics sent the
   * last attempt to the backup.
   */
  public record Routed<T>(T value, ModelSpec model, String reason) {}

  /** Chat calls to one model under the policy's tactics, remembering which model answered last. */
  public final class Session {
    private final ModelSpec model;
    private final CallPolicy policy;
    private final String taskId;
    private final String step;
    private ModelSpec answeredBy;
    private String backupNote;
    private boolean refused;

    private Session(ModelSpec model, CallPolicy policy, String taskId, String step) {
      this.model = model;
      this.policy = policy;
      this.taskId = taskId;
      this.step = step;
    }

    public ModelSpec model() {
      return model;
    }

    public CallPolicy policy() {
      return policy;
    }

    /** One answer, after the tactics; {@code maxTokens} of the request is where doubling starts. */
    public ChatResult chat(ChatRequest request) {
      ChatTactics.Completion completion;
      try {
        completion = tactics.complete(model, request, policy, taskId, step);
      } catch (TerminalStepException e) {
        // The step error types are final (the state machine matches their names), so a refusal is
        // told apart by
        // the tactics' own wording.
        refused = e.getMessage() != null && e.getMessage().endsWith(ChatTactics.REFUSED);
        throw e;
      }
      answeredBy = completion.model();
      if (completion.note() != null) {
        backupNote = completion.note();
      }
      return completion.result();
    }
  }

  /**
   * Routes the work; a rate limit whose Retry-After fits in what is left of {@code max-inline-wait}
   * is slept out (scaled) and the work routed again, so a short 429 costs neither a transient retry
   * nor an invocation.
   */
  public <T> Routed<T> call(CallPolicy policy, String taskId, String step, Work<T> work) {
    Duration waited = Duration.ZERO;
    for (int waits = 0; ; waits++) {
      try {
        return route(policy, taskId, step, work);
      } catch (RateLimitedException e) {
        Duration wait = e.retryAfter().orElse(Duration.ZERO);
        // No wait named (or zero: the router already tried every model), too many or too long: the
        // state machine waits.
        if (wait.isZero()
            || wait.isNegative()
            || waits >= MAX_INLINE_WAITS
            || waited.plus(wait).compareTo(maxInlineWait) > 0) {
          throw e;
        }
        sleep(wait);
        waited = waited.plus(wait);
      }
    }
  }

  private void sleep(Duration atScaleOne) {
    try {
      Thread.sleep(Math.max(1, Math.round(atScaleOne.toMillis() * timeScale)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientStepException("interrupted while waiting out a rate limit", e);
    }
  }

  private <T> Routed<T> route(CallPolicy policy, String taskId, String step, Work<T> work) {
    List<ModelSelector.Choice> candidates = selector.candidates(policy.strategy(), policy.chain());
    if (candidates.isEmpty()) {
      throw new TerminalStepException("no enabled model is configured for " + step);
    }
    List<ModelSelector.Choice> order = byFreePlace(candidates);
    List<String> skipped = new ArrayList<>();
    for (int i = 0; i < candidates.indexOf(order.get(0)); i++) {
      skipped.add(candidates.get(i).model().name() + " busy");
    }
    List<StepException> failures = new ArrayList<>();
    for (ModelSelector.Choice choice : order) {
      Session session = new Session(choice.model(), policy, taskId, step);
      try {
        T value = work.run(session);
        ModelSpec served = session.answeredBy == null ? choice.model() : session.answeredBy;
        return new Routed<>(value, served, reason(skipped, session.backupNote));
      } catch (StepException e) {
        // A refusal of the content, or of the call by the task's budget: another model would be
        // refused the same, and this one has not failed.
        if (session.refused || budgetExceeded(e)) {
          throw e;
        }
        if (tooLarge(e)) {
          // Nothing was sent and the model is fine: a model with a larger window may take it.
          failures.add(e);
          skipped.add(choice.model().name() + " too small");
          continue;
        }
        selector.reportFailure(choice.model(), e);
        failures.add(e);
        skipped.add(choice.model().name() + " " + what(e));
      }
    }
    throw strongest(failures, "every model failed for " + step);
  }

  /**
   * The candidates with those that have a free place first (each group in the selector's order).
   */
  private List<ModelSelector.Choice> byFreePlace(List<ModelSelector.Choice> candidates) {
    List<ModelSelector.Choice> free = new ArrayList<>();
    List<ModelSelector.Choice> full = new ArrayList<>();
    for (ModelSelector.Choice c : candidates) {
      (load.saturated(c.model()) ? full : free).add(c);
    }
    if (free.isEmpty() || free.get(0) == candidates.get(0)) {
      return candidates;
    }
    free.addAll(full);
    return free;
  }

  private static String reason(List<String> skipped, String backupNote) {
    if (backupNote != null) {
      return "backup: "
          + backupNote.replaceFirst("^backup after ", "")
          + (skipped.isEmpty() ? "" : "; fallback: " + String.join(", ", skipped));
    }
    return skipped.isEmpty() ? "chosen" : "fallback: " + String.join(", ", skipped);
  }

  static boolean tooLarge(StepException e) {
    return e instanceof TerminalStepException
        && e.getMessage() != null
        && e.getMessage().startsWith(ModelGateway.CONTEXT_WINDOW);
  }

  static boolean budgetExceeded(StepException e) {
    return e instanceof TerminalStepException
        && e.getMessage() != null
        && e.getMessage().startsWith(ModelGateway.BUDGET_EXCEEDED);
  }

  private static String what(StepException e) {
    if (e instanceof RateLimitedException) {
      return "rate-limited";
    }
    if (e instanceof ModelOutputIncompleteException incomplete) {
      return "incomplete (" + incomplete.finishReason() + ")";
    }
    return e instanceof TransientStepException ? "unavailable" : "failed";
  }

  /**
   * The error most worth retrying: rate limit (longest wait), then incomplete output, then
   * transient; when all are terminal, one terminal error saying {@code what} and each message.
   */
  public static StepException strongest(List<StepException> failures, String what) {
    Optional<RateLimitedException> limited =
        failures.stream()
            .filter(RateLimitedException.class::isInstance)
            .map(RateLimitedException.class::cast)
            .max(Comparator.comparing(e -> e.retryAfter().orElse(Duration.ZERO)));
    if (limited.isPresent()) {
      return limited.get();
    }
    for (Class<? extends StepException> type :
        List.of(ModelOutputIncompleteException.class, TransientStepException.class)) {
      Optional<StepException> found = failures.stream().filter(type::isInstance).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
    }
    if (failures.size() == 1) {
      return failures.get(0);
    }
    return new TerminalStepException(
        what + ": " + String.join("; ", failures.stream().map(Throwable::getMessage).toList()));
  }
}
