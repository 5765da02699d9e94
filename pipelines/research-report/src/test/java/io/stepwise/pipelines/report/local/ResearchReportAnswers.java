package io.stepwise.pipelines.report.local;

import io.stepwise.fakes.AnswerText;
import io.stepwise.fakes.Conversation;
import io.stepwise.fakes.ModelAnswers;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The local model's answers to research-report's three prompts, each read from what the prompt
 * says: a plan for the topic ({@link Planner}), a section answering its question from its papers
 * ({@link SectionWriter}), and the report made of the section drafts, in English or Chinese ({@link
 * ReportWriter}). Same prompt, same answer.
 */
public final class ResearchReportAnswers implements ModelAnswers {

  private static final Pattern TOPIC = Pattern.compile("(?m)^Topic: (.+)$");
  private static final Pattern SECTION = Pattern.compile("(?m)^Section: (.+)$");
  private static final Pattern QUESTION = Pattern.compile("(?m)^Question: (.+)$");
  private static final Pattern TITLE = Pattern.compile("(?m)^Title: (.+)$");

  @Override
  public Optional<String> answer(Conversation conversation) {
    String instructions = conversation.instructions();
    String prompt = conversation.prompt();
    if (instructions.contains("\"sections\"")
        && instructions.contains("\"keywords\"")
        && TOPIC.matcher(prompt).find()) {
      return Optional.of(Planner.plan(prompt, instructions));
    }
    if (SECTION.matcher(prompt).find()
        && QUESTION.matcher(prompt).find()
        && prompt.contains("\nPapers:")) {
      return Optional.of(SectionWriter.section(prompt));
    }
    if (instructions.contains("Markdown")
        && TITLE.matcher(prompt).find()
        && prompt.contains("\n## ")) {
      return Optional.of(ReportWriter.report(prompt, !instructions.contains("written in English")));
    }
    return Optional.empty();
  }

  /** The labelled line's text ({@code Topic: ...}), or {@code fallback}. */
  static String line(String label, String prompt, String fallback) {
    return AnswerText.find(Pattern.compile("(?m)^" + label + ": (.+)$"), prompt, fallback);
  }
}
