package io.stepwise.model;

/**
 * One step of a pipeline: its wire name ({@code render_images}: API, payloads, checkpoint keys), the name of
 * the Task state that runs it in the pipeline's ASL ({@code RenderImages}) and its position in the pipeline.
 */
public record Step(String name, String state, int index) {

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

  /** A wire name as people read it: {@code fetch_papers} → "Fetch papers". */
  public static String label(String wireName) {
    String words = wireName.replace('_', ' ').strip();
    return words.isEmpty() ? wireName : Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }
}
