package io.stepwise.models;

import io.stepwise.steps.errors.ModelOutputIncompleteException;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.steps.errors.TransientStepException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * Seed 004's finish-reason tactics, inside one call before the step gives up. Each attempt is one
 * {@link ChatCall} (one {@code stepwise.model-calls} line carrying the attempt's reason):
 *
 * <ul>
 *   <li>{@code stop}: done, unless the text is shorter than {@code min-chars}: then a failed
 *       attempt, retried;
 *   <li>{@code length}: the input's fault, so retried at once with {@code max_tokens} doubled up to
 *       {@code max-tokens-cap}; for output meant to be long ({@code continuations} > 0) the model
 *       is asked to continue instead and the parts are stitched, at most {@code continuations}
 *       times;
 *   <li>{@code unknown} or missing: the service's fault, so retried after a full-jitter backoff (a
 *       random wait between 0 and {@code min(backoff-max, backoff-base × 2^n)});
 *   <li>{@code content_filter}: terminal, unless a backup is configured: then the backup gets the
 *       last attempt.
 * </ul>
 *
 * The last of the {@code attempts} goes to the {@code backup} model when one is configured (and is
 * not the model already tried). What still fails is a {@link ModelOutputIncompleteException}
 * (retried by the state machine) or, for a refusal, a {@link TerminalStepException}. HTTP failures
 * are not finish reasons: they propagate at once, for the router to fall back along the chain.
 */
@Singleton
public class ChatTactics {

  /** How a refusal's message ends ({@link ModelRouter} ends the chain on it). */
  static final String REFUSED = "refused the content (finish_reason content_filter)";

  static final String CONTINUE =
      "Continue exactly where your previous answer stopped. Do not repeat anything.";

  private final ChatCall call;
  private final ModelCatalog catalog;
  private final LongUnaryOperator jitter;
  private final Sleeper sleeper;

  /** Waits between attempts (a seam for tests). */
  interface Sleeper {
    void sleep(long millis);
  }

  /**
   * Jitter from {@link SecureRandom}, which Lambda keeps unique across environments restored from
   * one SnapStart snapshot (a seeded PRNG, ThreadLocalRandom's seeder included, would give every
   * restored instance the same "random" waits, which is what jitter is for avoiding).
   */
  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject
  public ChatTactics(ChatCall call, ModelCatalog catalog) {
    this(call, catalog, bound -> bound <= 0 ? 0 : RANDOM.nextLong(bound + 1), ChatTactics::pause);
  }

  ChatTactics(ChatCall call, ModelCatalog catalog, LongUnaryOperator jitter, Sleeper sleeper) {
    this.call = call;
    this.catalog = catalog;
    this.jitter = jitter;
    this.sleeper = sleeper;
  }

  /**
   * An answer that passed the tactics: its text (stitched, for continuations), the model that gave
   * it, the attempts it took, and why the backup answered (null when the model asked did).
   */
  public record Completion(ChatResult result, ModelSpec model, int attempts, String note) {

    /** Whether the backup (not the model asked first) gave the answer. */
    public boolean byBackup(ModelSpec asked) {
      return !model.name().equals(asked.name());
    }
  }

  public Completion complete(
      ModelSpec model, ChatRequest request, CallPolicy policy, String taskId, String step) {
    ModelSpec backup =
        policy.backup() == null
            ? null
            : catalog
                .find(policy.backup())
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "the backup model " + policy.backup() + " is not configured"));
    Run run = new Run(model, request);
    int number = 0;
    int unknowns = 0;
    String reason = "first";
    String trouble = null;
    String backupNote = null;
    long pendingWait = 0;
    while (true) {
      number++;
      boolean switchToBackup =
          trouble != null
              && backup != null
              && !run.model.name().equals(backup.name())
              && (number >= policy.attempts()
                  || trouble.startsWith("content_filter")
                  || trouble.startsWith("length at"));
      if (switchToBackup) {
        reason = "backup after " + run.model.name() + " " + trouble;
        backupNote = reason;
        run.model = backup;
        run.restart();
      } else if (number > policy.attempts()
          || (trouble != null && trouble.startsWith("length at"))) {
        throw exhausted(model, run, trouble, number - 1);
      }
      if (pendingWait > 0) {
        sleeper.sleep(pendingWait); // only when another attempt follows
        pendingWait = 0;
      }
      ChatResult result =
          call.chat(
              run.model,
              run.request().withTimeout(policy.timeout()),
              new ChatCall.Attempt(taskId, step, number, reason));
      String finish = result.finishReason() == null ? "missing" : result.finishReason();
      switch (finish) {
        case "stop" -> {
          String text = run.stitched(result.content());
          if (text.strip().length() >= policy.minChars()) {
            ChatResult whole =
                new ChatResult(text, "stop", result.promptTokens(), result.completionTokens());
            return new Completion(whole, run.model, number, backupNote);
          }
          trouble =
              "short (" + text.strip().length() + " chars < min-chars " + policy.minChars() + ")";
          reason = "short: " + text.strip().length() + " chars";
          run.restart();
        }
        case "length" -> {
          if (run.continuations < policy.continuations()) {
            run.continueAfter(result.content());
            number--; // a continuation is the same answer going on, not another attempt at it
            reason = "length: continuation " + run.continuations;
          } else if (run.maxTokens < policy.maxTokensCap()) {
            run.maxTokens = Math.min(policy.maxTokensCap(), run.maxTokens * 2);
            run.restart();
            trouble = "length";
            reason = "length: max_tokens " + run.maxTokens;
          } else {
            trouble = "length at max-tokens-cap " + policy.maxTokensCap();
            reason = trouble;
          }
        }
        case "content_filter" -> {
          if (backup == null || run.model.name().equals(backup.name())) {
            throw new TerminalStepException(run.model.name() + " " + REFUSED);
          }
          trouble = "content_filter";
        }
        default -> {
          long bound =
              Math.min(
                  policy.backoffMax().toMillis(),
                  policy.backoffBase().toMillis() << Math.min(unknowns, 20));
          long wait = jitter.applyAsLong(bound);
          unknowns++;
          trouble = finish;
          reason = finish + ": backoff " + wait + " ms";
          run.restart();
          pendingWait = wait;
        }
      }
    }
  }

  private static ModelOutputIncompleteException exhausted(
      ModelSpec asked, Run run, String trouble, int attempts) {
    String finish =
        trouble == null
            ? "missing"
            : trouble.startsWith("length")
                ? "length"
                : trouble.startsWith("short") ? "short" : trouble.split(" ")[0];
    return new ModelOutputIncompleteException(
        asked.name()
            + (run.model == asked ? "" : " and its backup " + run.model.name())
            + " stopped abnormally after "
            + attempts
            + " attempts (finish_reason "
            + trouble
            + ")",
        finish);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientStepException("interrupted while backing off", e);
    }
  }

  /** The conversation of one call as the tactics change it. */
  private static final class Run {
    private final ChatRequest original;
    private ModelSpec model;
    private int maxTokens;
    private int continuations;
    private final List<ChatRequest.Message> messages;
    private final StringBuilder parts = new StringBuilder();

    Run(ModelSpec model, ChatRequest original) {
      this.original = original;
      this.model = model;
      this.maxTokens = original.maxTokens();
      this.messages = new ArrayList<>(original.messages());
    }

    ChatRequest request() {
      return new ChatRequest(
          original.system(), List.copyOf(messages), maxTokens, original.temperature());
    }

    void continueAfter(String partial) {
      continuations++;
      parts.append(partial);
      messages.add(new ChatRequest.Message("assistant", partial));
      messages.add(new ChatRequest.Message("user", CONTINUE));
    }

    String stitched(String last) {
      return parts.isEmpty() ? last : parts + last;
    }

    /** Drops the continuations so far: the next attempt answers the original question afresh. */
    void restart() {
      parts.setLength(0);
      continuations = 0;
      messages.clear();
      messages.addAll(original.messages());
    }
  }
}
