package io.stepwise.catalog;

import io.stepwise.alerts.AlertsFunction;
import io.stepwise.api.ApiFunction;
import io.stepwise.health.HealthCheckFunction;
import io.stepwise.lifecycle.ExecutionEventsFunction;
import io.stepwise.lifecycle.ReconcilerFunction;
import io.stepwise.lifecycle.RecordFailureFunction;
import io.stepwise.lifecycle.ReviewFunction;
import io.stepwise.model.Pipeline;
import io.stepwise.model.PipelineDefinition;
import io.stepwise.model.Pipelines;
import io.stepwise.model.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one list of deployed functions: the core's (api, record-failure, execution-events,
 * health-check, reconciler, alerts) and one per step of every pipeline. The infra app deploys
 * exactly these, the local runtime runs exactly these, and the entry-point tests start each of
 * them.
 */
public final class Handlers {

  public static final String API = "api";
  public static final String RECORD_FAILURE = "record-failure";
  public static final String EXECUTION_EVENTS = "execution-events";
  public static final String HEALTH_CHECK = "health-check";
  public static final String RECONCILER = "reconciler";
  public static final String REVIEW = "review";
  public static final String ALERTS = "alerts";

  /** The Task state every pipeline's ASL catches terminal errors into. */
  public static final String RECORD_FAILURE_STATE = "RecordFailure";

  private final List<Handler> all;
  private final Pipelines pipelines;

  private Handlers(Pipelines pipelines) {
    this.pipelines = pipelines;
    List<Handler> list = new ArrayList<>();
    list.add(
        new Handler(
            API, ApiFunction.class, Handler.Trigger.HTTP_API, 1024, 29, false, null, null, null));
    for (Pipeline pipeline : pipelines.all()) {
      PipelineDefinition definition = pipelines.definition(pipeline.name());
      for (var step : pipeline.steps()) {
        if (step.isReview()) {
          continue; // the core's review function (below) serves every pipeline's review
        }
        PipelineDefinition.StepHandler f =
            definition.functions().stream()
                .filter(s -> s.step().equals(step.name()))
                .findFirst()
                .orElseThrow();
        list.add(
            new Handler(
                f.functionName(),
                f.handler(),
                Handler.Trigger.STATE_MACHINE,
                f.memoryMb(),
                0,
                f.usesModels(),
                pipeline.name(),
                step.name(),
                step.state()));
      }
    }
    list.add(
        new Handler(
            RECORD_FAILURE,
            RecordFailureFunction.class,
            Handler.Trigger.STATE_MACHINE,
            512,
            0,
            false,
            null,
            null,
            RECORD_FAILURE_STATE));
    // Records a review's task token on the task and notifies the reviewers; returns at once (the
    // state waits for the decision, not for the function).
    list.add(
        new Handler(
            REVIEW,
            ReviewFunction.class,
            Handler.Trigger.STATE_MACHINE,
            512,
            60,
            false,
            null,
            null,
            Step.stateName(Step.REVIEW)));
    list.add(
        new Handler(
            EXECUTION_EVENTS,
            ExecutionEventsFunction.class,
            Handler.Trigger.EXECUTION_EVENTS,
            512,
            30,
            false,
            null,
            null,
            null));
    // One sweep (5 s per probe, probes concurrent) must end well within the 1-minute schedule.
    list.add(
        new Handler(
            HEALTH_CHECK,
            HealthCheckFunction.class,
            Handler.Trigger.SCHEDULE,
            1024,
            50,
            true,
            null,
            null,
            null));
    // Repairs tasks whose status event was lost: a sweep describes each quiet task's execution.
    list.add(
        new Handler(
            RECONCILER,
            ReconcilerFunction.class,
            Handler.Trigger.SCHEDULE,
            512,
            120,
            false,
            null,
            null,
            null));
    // Evaluates the alert rules: a few Queries, and the alert webhook (5 s per delivery) when set.
    list.add(
        new Handler(
            ALERTS,
            AlertsFunction.class,
            Handler.Trigger.SCHEDULE,
            512,
            50,
            false,
            null,
            null,
            null));
    this.all = List.copyOf(list);
    long names = all.stream().map(Handler::functionName).distinct().count();
    if (names != all.size()) {
      throw new IllegalStateException(
          "two functions share a name: " + all.stream().map(Handler::functionName).toList());
    }
  }

  /** The catalogue of the pipelines on the class path. */
  public static Handlers installed() {
    return new Handlers(Pipelines.installed());
  }

  public static Handlers of(Pipelines pipelines) {
    return new Handlers(pipelines);
  }

  public List<Handler> all() {
    return all;
  }

  public Handler named(String functionName) {
    return find(functionName)
        .orElseThrow(() -> new IllegalArgumentException("no function " + functionName));
  }

  public Optional<Handler> find(String functionName) {
    return all.stream().filter(h -> h.functionName().equals(functionName)).findFirst();
  }

  /** The step functions of one pipeline, in step order. */
  public List<Handler> steps(String pipeline) {
    return all.stream().filter(h -> pipeline.equals(h.pipeline())).toList();
  }

  /**
   * Every function a Task state of this pipeline's state machine invokes: its steps, the review
   * function when it has a review step, and record-failure.
   */
  public List<Handler> invokedBy(String pipeline) {
    List<Handler> invoked = new ArrayList<>(steps(pipeline));
    if (pipelines.get(pipeline).review().isPresent()) {
      invoked.add(named(REVIEW));
    }
    invoked.add(named(RECORD_FAILURE));
    return List.copyOf(invoked);
  }
}
