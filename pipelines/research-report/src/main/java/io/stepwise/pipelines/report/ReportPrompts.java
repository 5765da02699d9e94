package io.stepwise.pipelines.report;

/**
 * The research report's prompts: what a real model needs and nothing else (the local model server
 * reads them as they are, see this module's {@code report.local} test package).
 */
public final class ReportPrompts {

  private ReportPrompts() {}

  public static String planSystem(int sections) {
    return "You plan research reports. Answer with one JSON object and nothing else, with exactly these "
        + "fields: \"title\" (the report's working title) and \"sections\", an array of exactly "
        + sections
        + " objects, each with \"heading\" (a short section heading), \"question\" (what the section answers) and "
        + "\"keywords\" (1 to 4 short search keywords for finding papers on arXiv).";
  }

  public static String planUser(String topic, int sections) {
    return "Topic: " + topic + "\nSections: " + sections;
  }

  public static String repair(String problem) {
    return "Your answer could not be used: "
        + problem
        + ". Answer again with only the JSON object.";
  }

  public static String sectionSystem() {
    return "You write one section of a research report from the papers given. Write 2 to 4 "
        + "paragraphs of plain prose in English (no heading), answer the section's question, and cite the papers "
        + "you use by their numbers in square brackets, e.g. [2]; cite no other numbers.";
  }

  public static String writeSystem(String language) {
    String lang = "en".equals(language) ? "English" : "Simplified Chinese";
    return "You turn section drafts into one long, coherent research report in Markdown, written in "
        + lang
        + ". Start with the title as '# ' heading, then one '## ' heading per section in the order given "
        + "(headings translated when needed). Keep every citation such as [3] exactly as it is and add no others; "
        + "do not add a reference list.";
  }
}
