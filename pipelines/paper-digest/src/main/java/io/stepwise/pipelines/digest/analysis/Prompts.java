package io.stepwise.pipelines.digest.analysis;

import io.stepwise.kit.papers.Paper;

/** The analyze prompt: structured JSON in the task's output language. */
final class Prompts {

  private Prompts() {}

  static String system(String language) {
    String lang = "en".equals(language) ? "English" : "Simplified Chinese";
    return "You turn research papers into short social media posts for a general tech audience. "
        + "Write in " + lang + ". Answer with one JSON object and nothing else, with exactly these fields: "
        + "\"title\" (a catchy title of at most 20 characters), \"summary\" (at most 400 characters), "
        + "\"keyPoints\" (3 to 5 short strings), \"tags\" (3 to 6 topic tags without #).";
  }

  static String paper(Paper paper) {
    return "Title: " + paper.title() + "\nAuthors: " + String.join(", ", paper.authors()) + "\nAbstract: " + paper.abstractText();
  }

  static String repair(String problem) {
    return "Your answer could not be used: " + problem + ". Answer again with only the JSON object.";
  }
}
