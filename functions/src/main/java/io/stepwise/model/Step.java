package io.stepwise.model;

/**
 * One step of a pipeline: its wire name ({@code render_images}: API, payloads, checkpoint keys),
 * the name of the Task state that runs it in the pipeline's ASL ({@code RenderImages}), its
 * position in the pipeline and its Task state's {@code TimeoutSeconds}. A step is {@link
 * Kind#WORK}, run by its own function, or {@link Kind#REVIEW}: a person reads the output of the
 * step before it ({@code reviews}) and approves or rejects it; the core's review function waits for
 * the decision (docs/architecture.md, "Review and edits").
 */
public record Step(
    String name, String state, int index, int timeoutSeconds, Kind kind, String reviews) {

  /** The wire name of a pipeline's review step (one per pipeline at most). */
  public static final String REVIEW = "review";

  /** What runs a step. */
  public enum Kind {
    /** The step's own function. */
    WORK,
    /** A person, through the API; the core's review function records the wait. */
    REVIEW
  }

  /** A step with the default timeout of 300 s. */
  public Step(String name, String state, int index) {
    this(name, state, index, 300);
  }

  /** A work step. */
  public Step(String name, String state, int index, int timeoutSeconds) {
    this(name, state, index, timeoutSeconds, Kind.WORK, null);
  }

  /**
   * The review of {@code reviewed}'s output, at position {@code index}, open for {@code
   * timeoutSeconds}.
   */
  public static Step review(String reviewed, int index, int timeoutSeconds) {
    return new Step(REVIEW, stateName(REVIEW), index, timeoutSeconds, Kind.REVIEW, reviewed);
  }

  public boolean isReview() {
    return kind == Kind.REVIEW;
  }

  /** The wire name of a state name: {@code WriteReport} → {@code write_report}. */
  public static String wireName(String stateName) {
    StringBuilder wire = new StringBuilder();
    for (int i = 0; i < stateName.length(); i++) {
      char c = stateName.charAt(i);
      if (Character.isUpperCase(c)) {
        if (i > 0) {
          wire.append('_');
        }
        wire.append(Character.toLowerCase(c));
      } else {
        wire.append(c);
      }
    }
    return wire.toString();
  }

  /** The state name of a wire name: {@code write_report} → {@code WriteReport}. */
  public static String stateName(String wireName) {
    StringBuilder state = new StringBuilder();
    for (String part : wireName.split("_")) {
      if (!part.isEmpty()) {
        state.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return state.toString();
  }

  /** A wire name as people read it: {@code fetch_papers} → "Fetch papers". */
  public static String label(String wireName) {
    String words = wireName.replace('_', ' ').strip();
    return words.isEmpty() ? wireName : Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }
}
