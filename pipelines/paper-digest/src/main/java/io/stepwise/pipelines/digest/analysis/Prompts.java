package io.stepwise.pipelines.digest.analysis;

import io.stepwise.kit.papers.Paper;

/** The analyze prompt: structured JSON in the task's output language. */
final class Prompts {

  private Prompts() {}

  /**
   * @param titleMax the characters the post's title may have (the platform's limit less any fixed
   *     prefix): the model is asked for a title of its own in the post's language, not the paper's
   *     title cut to fit
   */
  static String system(String language, int titleMax) {
    String lang = "en".equals(language) ? "English" : "Simplified Chinese";
    return "You turn research papers into short social media posts for a general tech audience. "
        + "Write in "
        + lang
        + ". Answer with one JSON object and nothing else, with exactly these fields: "
        + "\"title\" (a catchy title in "
        + lang
        + " of at most "
        + titleMax
        + " characters that says what the paper "
        + "is about; not the paper's title, nor a cut of it), \"summary\" (at most 400 characters; do not repeat "
        + "the title), \"keyPoints\" (3 to 5 short strings), \"tags\" (3 to 6 topic tags without #, not repeated "
        + "in the other fields).";
  }

  static String paper(Paper paper) {
    return paper(paper, paper.abstractText());
  }

  /** The same with the abstract given (a shortened one, when the whole does not fit). */
  static String paper(Paper paper, String abstractText) {
    return "Title: "
        + paper.title()
        + "\nAuthors: "
        + String.join(", ", paper.authors())
        + "\nAbstract: "
        + abstractText;
  }

  static String repair(String problem) {
    return "Your answer could not be used: "
        + problem
        + ". Answer again with only the JSON object.";
  }
}
