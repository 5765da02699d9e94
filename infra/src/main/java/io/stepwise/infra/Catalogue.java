package io.stepwise.infra;

import io.stepwise.catalog.Handler;
import io.stepwise.catalog.Handlers;
import io.stepwise.model.Pipeline;
import io.stepwise.model.Pipelines;
import io.stepwise.workflow.AslGenerator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the stack deploys, read from the functions jar: the pipelines ({@link Pipelines}), the one
 * list of functions ({@link Handlers}) and each pipeline's ASL. Nothing here repeats a handler
 * class or a step name.
 */
public final class Catalogue {

  /**
   * A state-invoked function's Lambda stops this many seconds before its state's TimeoutSeconds, so
   * Step Functions sees the function's own error (retryable by name) rather than a States.Timeout
   * for a Lambda still running.
   */
  static final int STATE_TIMEOUT_MARGIN_SECONDS = 10;

  private final Pipelines pipelines;
  private final Handlers handlers;
  private final Map<String, WorkflowDefinition> definitions = new LinkedHashMap<>();

  private Catalogue(Pipelines pipelines) {
    this.pipelines = pipelines;
    this.handlers = Handlers.of(pipelines);
    for (Pipeline pipeline : pipelines.all()) {
      definitions.put(
          pipeline.name(),
          WorkflowDefinition.fromText(
              AslGenerator.generate(pipeline, definitionClass(pipeline.name()))));
    }
  }

  /**
   * The functions and ASL of these pipelines ({@link Pipelines#installed()}: what {@code cdk synth}
   * deploys).
   */
  public static Catalogue of(Pipelines pipelines) {
    return new Catalogue(pipelines);
  }

  /** Every pipeline, ordered by name: one state machine each. */
  public List<Pipeline> pipelines() {
    return pipelines.all();
  }

  /** Every deployed function: one Lambda function each. */
  public List<Handler> functions() {
    return handlers.all();
  }

  public Handlers handlers() {
    return handlers;
  }

  /** The class that defines this pipeline (named in its generated workflow's Comment). */
  public String definitionClass(String pipeline) {
    return pipelines.definition(pipeline).getClass().getName();
  }

  public WorkflowDefinition definition(String pipeline) {
    WorkflowDefinition d = definitions.get(pipeline);
    if (d == null) {
      throw new IllegalArgumentException("no pipeline named " + pipeline);
    }
    return d;
  }

  /** The pipelines whose state machines invoke this function (record-failure: all of them). */
  public List<Pipeline> invokers(Handler handler) {
    return pipelines().stream()
        .filter(p -> handlers.invokedBy(p.name()).contains(handler))
        .toList();
  }

  /**
   * The Lambda timeout: the catalogue's fixed one when it has one (every function no state invokes;
   * the review function, whose state waits far longer than the function runs); for any other
   * state-invoked one its state's TimeoutSeconds less the margin, in every pipeline that invokes it
   * (the shortest wins).
   */
  public int timeoutSeconds(Handler handler) {
    if (handler.state().isEmpty() || handler.timeoutSeconds() > 0) {
      if (handler.timeoutSeconds() <= 0) {
        throw new IllegalStateException(
            handler.functionName() + " has neither a state nor a timeout");
      }
      return handler.timeoutSeconds();
    }
    String state = handler.state().orElseThrow();
    List<Pipeline> invokers = invokers(handler);
    if (invokers.isEmpty()) {
      throw new IllegalStateException(
          "no state machine invokes "
              + handler.functionName()
              + " (state "
              + state
              + "): its timeout is unknown");
    }
    int timeout =
        invokers.stream()
            .mapToInt(
                p -> definition(p.name()).taskTimeoutSeconds(state) - STATE_TIMEOUT_MARGIN_SECONDS)
            .min()
            .orElseThrow();
    if (timeout <= 0) {
      throw new IllegalStateException(
          "state "
              + state
              + " allows "
              + handler.functionName()
              + " no more than the "
              + STATE_TIMEOUT_MARGIN_SECONDS
              + " s margin");
    }
    return timeout;
  }
}
