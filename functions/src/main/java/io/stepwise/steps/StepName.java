package io.stepwise.steps;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The five pipeline steps in order, with their wire names and their state names in the ASL. */
public enum StepName {
  FETCH_PAPERS("fetch_papers", "FetchPapers"),
  ANALYZE("analyze", "Analyze"),
  RENDER_IMAGES("render_images", "RenderImages"),
  BUILD_PAYLOAD("build_payload", "BuildPayload"),
  PUBLISH("publish", "Publish");

  private final String wire;
  private final String stateName;

  StepName(String wire, String stateName) {
    this.wire = wire;
    this.stateName = stateName;
  }

  /** The name used in the API, the payload and the checkpoint keys, e.g. {@code render_images}. */
  public String wire() {
    return wire;
  }

  /** The Task state's name in {@code statemachine.asl.json}, e.g. {@code RenderImages}. */
  public String stateName() {
    return stateName;
  }

  public int index() {
    return ordinal();
  }

  /** The steps that must have succeeded before this one can run. */
  public List<StepName> before() {
    return Arrays.asList(values()).subList(0, ordinal());
  }

  /** This step and every later one. */
  public List<StepName> fromHere() {
    return Arrays.asList(values()).subList(ordinal(), values().length);
  }

  public static Optional<StepName> fromWire(String wire) {
    return Arrays.stream(values()).filter(s -> s.wire.equals(wire)).findFirst();
  }

  public static List<String> wireNames() {
    return Arrays.stream(values()).map(StepName::wire).toList();
  }
}
