package io.stepwise.pipelines.report;

/**
 * The research report's prompts. Each system prompt opens with a marker naming its step ({@code [report:plan]},
 * {@code [report:section]}, {@code [report:write]}): harmless to a real model, and what lets the local model
 * server answer each step in kind.
 */
public final class ReportPrompts {

  public static final String PLAN_MARKER = "[report:plan]";
  public static final String SECTION_MARKER = "[report:section]";
  public static final String WRITE_MARKER = "[report:write]";

  private ReportPrompts() {}

  public static String planSystem(int sections) {
    return PLAN_MARKER + " You plan research reports. Answer with one JSON object and nothing else, with exactly these "
        + "fields: \"title\" (the report's working title) and \"sections\", an array of exactly " + sections
        + " objects, each with \"heading\" (a short section heading), \"question\" (what the section answers) and "
        + "\"keywords\" (1 to 4 short search keywords for finding papers on arXiv).";
  }

  public static String planUser(String topic, int sections) {
    return "Topic: " + topic + "\nSections: " + sections;
  }

  public static String repair(String problem) {
    return "Your answer could not be used: " + problem + ". Answer again with only the JSON object.";
  }

  public static String sectionSystem() {
    return SECTION_MARKER + " You write one section of a research report from the papers given. Write 2 to 4 "
        + "paragraphs of plain prose in English (no heading), answer the section's question, and cite the papers "
        + "you use by their numbers in square brackets, e.g. [2]; cite no other numbers.";
  }

  public static String writeSystem(String language) {
    String lang = "en".equals(language) ? "English" : "Simplified Chinese";
    return WRITE_MARKER + " You turn section drafts into one long, coherent research report in Markdown, written in "
        + lang + ". Start with the title as '# ' heading, then one '## ' heading per section in the order given "
        + "(headings translated when needed). Keep every citation such as [3] exactly as it is and add no others; "
        + "do not add a reference list.";
  }
}
