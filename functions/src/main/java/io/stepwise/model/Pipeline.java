package io.stepwise.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pipeline as the core sees it: a name, where its generated ASL is committed, its steps in order
 * and each step's retry policy. What each step does (its body, its input) belongs to the pipeline's
 * own module; the core reaches it by these names only.
 */
public record Pipeline(
    String name, String aslFile, List<Step> steps, Map<String, RetryPolicy> policies) {

  public Pipeline {
    steps = List.copyOf(steps);
    policies = Map.copyOf(policies);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("pipeline " + name + " has no steps");
    }
  }

  /** With the default retry policy for every step. */
  public Pipeline(String name, String aslFile, List<Step> steps) {
    this(name, aslFile, steps, Map.of());
  }

  /** The retry policy of this step (the default when none is configured). */
  public RetryPolicy policy(Step step) {
    return policies.getOrDefault(step.name(), RetryPolicy.DEFAULT);
  }

  /**
   * The step's {@code Retry} entries, then its rate-limit wait route, as the generated ASL has
   * them.
   */
  public List<Retrier> retriers(Step step) {
    return Retrier.forStep(policy(step));
  }

  /**
   * How long the state machine waits, at most, before it retries {@code step} after its attempt
   * number {@code failedAttempt} failed with {@code errorType}; empty when it will not retry (no
   * retrier takes the error, or its retries are spent). Counts attempts across errors, where Step
   * Functions counts per retrier: with one error type repeating, as is usual, the two agree.
   */
  public Optional<Duration> retryDelay(Step step, String errorType, int failedAttempt) {
    return retryDelay(step, new TaskError(step.name(), errorType, ""), failedAttempt);
  }

  /**
   * Like {@link #retryDelay(Step, String, int)}, for the error as recorded: a rate-limit wait route
   * waits as long as the error's message says ({@code "(retry after N s)"}; 60 s, as the ASL's
   * default, when it names none).
   */
  public Optional<Duration> retryDelay(Step step, TaskError error, int failedAttempt) {
    return retriers(step).stream()
        .filter(r -> r.matches(error.type()))
        .findFirst()
        .filter(r -> failedAttempt <= r.maxAttempts())
        .map(r -> r.delayFromError() ? namedDelay(error.message()) : r.delayBefore(failedAttempt));
  }

  private static final Pattern NAMED_DELAY = Pattern.compile("\\(retry after ([0-9]+) s\\)");

  /**
   * The wait a rate-limit message names (the format RateLimitedException writes, which the core
   * cannot import).
   */
  private static Duration namedDelay(String message) {
    Matcher m = NAMED_DELAY.matcher(message == null ? "" : message);
    return Duration.ofSeconds(m.find() ? Long.parseLong(m.group(1)) : 60);
  }

  public Optional<Step> step(String wireName) {
    return steps.stream().filter(s -> s.name().equals(wireName)).findFirst();
  }

  /**
   * The step of this wire name; an {@link IllegalArgumentException} naming the pipeline's steps
   * otherwise.
   */
  public Step require(String wireName) {
    return step(wireName)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "pipeline " + name + " has no step '" + wireName + "'"));
  }

  public Step first() {
    return steps.get(0);
  }

  public Step last() {
    return steps.get(steps.size() - 1);
  }

  /** The steps that must have succeeded before this one can run. */
  public List<Step> before(Step step) {
    return steps.subList(0, step.index());
  }

  /** This step and every later one. */
  public List<Step> fromHere(Step step) {
    return steps.subList(step.index(), steps.size());
  }

  /** The review step, when the pipeline has one. */
  public Optional<Step> review() {
    return steps.stream().filter(Step::isReview).findFirst();
  }

  public List<String> stepNames() {
    return steps.stream().map(Step::name).toList();
  }
}
