package io.stepwise.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Every pipeline deployed with this jar, in the order of their names: each definition with its
 * steps and each step's retry policy (the defaults, or configuration's). {@link #installed()} is
 * loaded once per JVM.
 */
public final class Pipelines {

  private static volatile List<PipelineDefinition> found;

  private final Map<String, Pipeline> pipelines;
  private final Map<String, PipelineDefinition> definitions;

  Pipelines(List<PipelineDefinition> definitions, Function<String, Optional<String>> property) {
    Map<String, Pipeline> byName = new LinkedHashMap<>();
    Map<String, PipelineDefinition> defs = new LinkedHashMap<>();
    definitions.stream()
        .sorted((a, b) -> a.name().compareTo(b.name()))
        .forEach(
            d -> {
              if (byName.containsKey(d.name())) {
                throw new IllegalStateException("two pipelines are named " + d.name());
              }
              byName.put(d.name(), pipeline(d, property));
              defs.put(d.name(), d);
            });
    this.pipelines = Map.copyOf(byName);
    this.definitions = defs;
  }

  private static Pipeline pipeline(
      PipelineDefinition d, Function<String, Optional<String>> property) {
    if (!d.name().matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
      throw new IllegalStateException(
          "a pipeline's name is kebab-case, e.g. paper-digest: " + d.name());
    }
    List<Step> steps = new ArrayList<>();
    Map<String, RetryPolicy> policies = new LinkedHashMap<>();
    for (PipelineDefinition.StepHandler h : d.functions()) {
      if (steps.stream().anyMatch(s -> s.name().equals(h.step()))) {
        throw new IllegalStateException(
            "pipeline " + d.name() + " declares step " + h.step() + " twice");
      }
      if (h.step().equals(Step.REVIEW)) {
        throw new IllegalStateException(
            "pipeline " + d.name() + ": '" + Step.REVIEW + "' is the name of the review step");
      }
      steps.add(new Step(h.step(), h.state(), steps.size(), h.timeoutSeconds()));
      policies.put(h.step(), RetryPolicy.configured(property, d.name(), h.step()));
    }
    d.reviewAfter()
        .ifPresent(
            reviewed -> {
              int at =
                  steps.stream()
                          .filter(s -> s.name().equals(reviewed))
                          .findFirst()
                          .orElseThrow(
                              () ->
                                  new IllegalStateException(
                                      "pipeline "
                                          + d.name()
                                          + " reviews step "
                                          + reviewed
                                          + ", which it does not have"))
                          .index()
                      + 1;
              if (at == steps.size()) {
                throw new IllegalStateException(
                    "pipeline "
                        + d.name()
                        + " reviews its last step, "
                        + reviewed
                        + ": a review holds back the step after it");
              }
              steps.add(at, Step.review(reviewed, at, reviewTimeoutSeconds(property, d.name())));
              for (int i = at + 1; i < steps.size(); i++) {
                Step s = steps.get(i);
                steps.set(i, new Step(s.name(), s.state(), i, s.timeoutSeconds()));
              }
            });
    return new Pipeline(d.name(), d.aslFile(), steps, policies);
  }

  /** Longest a review may stay open: a year, as long as a standard workflow may run. */
  static final int MAX_REVIEW_TIMEOUT_SECONDS = 31_536_000;

  /**
   * The review step's {@code TimeoutSeconds}: {@code stepwise.pipelines.<name>.review-timeout}, 24
   * h by default.
   */
  private static int reviewTimeoutSeconds(
      Function<String, Optional<String>> property, String pipeline) {
    String key = "stepwise.pipelines." + pipeline + ".review-timeout";
    return property
        .apply(key)
        .map(String::trim)
        .map(v -> RetryPolicy.seconds(key, v, MAX_REVIEW_TIMEOUT_SECONDS))
        .orElse(86_400);
  }

  /**
   * Whether a task of {@code pipeline} that does not say is reviewed: {@code
   * stepwise.pipelines.<name>.review}, false by default.
   */
  public static boolean reviewByDefault(
      Function<String, Optional<String>> property, String pipeline) {
    String key = "stepwise.pipelines." + pipeline + ".review";
    return property.apply(key).map(String::trim).map(v -> RetryPolicy.bool(key, v)).orElse(false);
  }

  /** The pipelines found on the class path (cached), with the default retry policies. */
  public static Pipelines installed() {
    return new Pipelines(definitions(), key -> Optional.empty());
  }

  /**
   * The pipelines found on the class path, each step's retry policy from {@code property}
   * (configuration).
   */
  public static Pipelines installed(Function<String, Optional<String>> property) {
    return new Pipelines(definitions(), property);
  }

  private static List<PipelineDefinition> definitions() {
    List<PipelineDefinition> list = found;
    if (list == null) {
      List<PipelineDefinition> loaded = new ArrayList<>();
      ServiceLoader.load(PipelineDefinition.class, Pipelines.class.getClassLoader())
          .forEach(loaded::add);
      list = List.copyOf(loaded);
      found = list;
    }
    return list;
  }

  /**
   * Pipelines from the given definitions, each step's retry policy from {@code property} (tests).
   */
  public static Pipelines installedFrom(
      List<PipelineDefinition> definitions, Function<String, Optional<String>> property) {
    return new Pipelines(definitions, property);
  }

  /** Pipelines from the given definitions only (tests). */
  public static Pipelines of(List<PipelineDefinition> definitions) {
    return new Pipelines(definitions, key -> Optional.empty());
  }

  public Optional<Pipeline> find(String name) {
    return Optional.ofNullable(pipelines.get(name));
  }

  /**
   * The pipeline of this name; an {@link IllegalStateException} when none is deployed (a stored
   * task's).
   */
  public Pipeline get(String name) {
    return find(name)
        .orElseThrow(() -> new IllegalStateException("no pipeline named " + name + " is deployed"));
  }

  /** All pipelines, ordered by name. */
  public List<Pipeline> all() {
    return definitions.keySet().stream().map(pipelines::get).toList();
  }

  public List<String> names() {
    return List.copyOf(definitions.keySet());
  }

  public PipelineDefinition definition(String name) {
    PipelineDefinition d = definitions.get(name);
    if (d == null) {
      throw new IllegalStateException("no pipeline named " + name + " is deployed");
    }
    return d;
  }
}
