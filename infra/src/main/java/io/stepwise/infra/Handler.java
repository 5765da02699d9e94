package io.stepwise.infra;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The deployed functions: one handler class each from the one shaded jar (README, "Architecture"). A function
 * that a Task state of statemachine.asl.json invokes names that state; its placeholder is
 * {@code ${<State>FunctionArn}} and its Lambda timeout is derived from the state's {@code TimeoutSeconds}.
 */
public enum Handler {
  API("api", "io.stepwise.api.ApiFunction", 1024, null, 29),
  FETCH_PAPERS("fetch-papers", "io.stepwise.pipelines.digest.FetchPapersFunction", 1024, "FetchPapers", 0),
  ANALYZE("analyze", "io.stepwise.pipelines.digest.AnalyzeFunction", 1024, "Analyze", 0),
  // Java2D rasterises 1080x1440 cards: more memory buys proportionally more CPU.
  RENDER_IMAGES("render-images", "io.stepwise.pipelines.digest.RenderImagesFunction", 2048, "RenderImages", 0),
  BUILD_PAYLOAD("build-payload", "io.stepwise.pipelines.digest.BuildPayloadFunction", 1024, "BuildPayload", 0),
  PUBLISH("publish", "io.stepwise.pipelines.digest.PublishFunction", 1024, "Publish", 0),
  RECORD_FAILURE("record-failure", "io.stepwise.lifecycle.RecordFailureFunction", 512, "RecordFailure", 0),
  EXECUTION_EVENTS("execution-events", "io.stepwise.lifecycle.ExecutionEventsFunction", 512, null, 30),
  // One sweep (5 s per probe, probes concurrent) must end well within the 1-minute schedule.
  HEALTH_CHECK("health-check", "io.stepwise.health.HealthCheckFunction", 1024, null, 50);

  /**
   * A step's Lambda stops this many seconds before its state's TimeoutSeconds, so Step Functions sees the
   * function's own error (retryable by name) rather than a States.Timeout for a Lambda still running.
   */
  static final int STATE_TIMEOUT_MARGIN_SECONDS = 10;

  private final String functionName;
  private final String className;
  private final int memoryMb;
  private final String stateName;
  private final int timeoutSeconds;

  Handler(String functionName, String className, int memoryMb, String stateName, int timeoutSeconds) {
    this.functionName = functionName;
    this.className = className;
    this.memoryMb = memoryMb;
    this.stateName = stateName;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** Short name: the construct id and the part after the stack name in the deployed function's name. */
  public String functionName() {
    return functionName;
  }

  /** The Lambda handler string: the class implements the Lambda runtime's stream handler interface. */
  public String className() {
    return className;
  }

  public int memoryMb() {
    return memoryMb;
  }

  /** The Task state that invokes this function, if the state machine does. */
  public Optional<String> stateName() {
    return Optional.ofNullable(stateName);
  }

  /** The definition's placeholder for this function's alias ARN, if the state machine invokes it. */
  public Optional<String> placeholder() {
    return stateName().map(state -> state + "FunctionArn");
  }

  /** Lambda timeout: fixed, or the invoking state's TimeoutSeconds less the margin. */
  public int timeoutSeconds(WorkflowDefinition definition) {
    return stateName()
        .map(state -> definition.taskTimeoutSeconds(state) - STATE_TIMEOUT_MARGIN_SECONDS)
        .orElse(timeoutSeconds);
  }

  /** The five pipeline steps. */
  public static List<Handler> steps() {
    return List.of(FETCH_PAPERS, ANALYZE, RENDER_IMAGES, BUILD_PAYLOAD, PUBLISH);
  }

  /** Every function the state machine invokes. */
  public static List<Handler> invokedByStateMachine() {
    return Arrays.stream(values()).filter(h -> h.stateName != null).toList();
  }
}
