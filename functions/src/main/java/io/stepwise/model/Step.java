package io.stepwise.model;

/**
 * One step of a pipeline: its wire name ({@code render_images}: API, payloads, checkpoint keys),
 * the name of the Task state that runs it in the pipeline's ASL ({@code RenderImages}), its
 * position in the pipeline and its Task state's {@code TimeoutSeconds}.
 */
public record Step(String name, String state, int index, int timeoutSeconds) {

  /** A step with the default timeout of 300 s. */
  public Step(String name, String state, int index) {
    this(name, state, index, 300);
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
