package io.stepwise.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Every pipeline deployed with this jar, in the order of their names: each definition with the steps its ASL
 * declares. Loaded once per JVM; a definition whose functions and ASL steps disagree fails the load.
 */
public final class Pipelines {

  private static volatile Pipelines installed;

  private final Map<String, Pipeline> pipelines;
  private final Map<String, PipelineDefinition> definitions;

  Pipelines(List<PipelineDefinition> found) {
    Map<String, Pipeline> byName = new LinkedHashMap<>();
    Map<String, PipelineDefinition> defs = new LinkedHashMap<>();
    found.stream()
        .sorted((a, b) -> a.name().compareTo(b.name()))
        .forEach(
            d -> {
              if (byName.containsKey(d.name())) {
                throw new IllegalStateException("two pipelines are named " + d.name());
              }
              Pipeline p = new Pipeline(d.name(), d.aslResource(), AslSteps.read(d.aslResource()), AslSteps.retriers(d.aslResource()));
              requireFunctions(d, p);
              byName.put(d.name(), p);
              defs.put(d.name(), d);
            });
    this.pipelines = Map.copyOf(byName);
    this.definitions = defs;
  }

  /** The pipelines found on the class path (cached). */
  public static Pipelines installed() {
    Pipelines p = installed;
    if (p == null) {
      List<PipelineDefinition> found = new ArrayList<>();
      ServiceLoader.load(PipelineDefinition.class, Pipelines.class.getClassLoader()).forEach(found::add);
      p = new Pipelines(found);
      installed = p;
    }
    return p;
  }

  /** Pipelines from the given definitions only (tests). */
  public static Pipelines of(List<PipelineDefinition> definitions) {
    return new Pipelines(definitions);
  }

  public Optional<Pipeline> find(String name) {
    return Optional.ofNullable(pipelines.get(name));
  }

  /** The pipeline of this name; an {@link IllegalStateException} when none is deployed (a stored task's). */
  public Pipeline get(String name) {
    return find(name).orElseThrow(() -> new IllegalStateException("no pipeline named " + name + " is deployed"));
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

  private static void requireFunctions(PipelineDefinition d, Pipeline p) {
    List<String> declared = d.functions().stream().map(PipelineDefinition.StepHandler::step).sorted().toList();
    List<String> inAsl = p.stepNames().stream().sorted().toList();
    if (!declared.equals(inAsl)) {
      throw new IllegalStateException(
          "pipeline " + d.name() + " declares functions for " + declared + " but its ASL "
              + d.aslResource() + " runs " + p.stepNames());
    }
  }
}
