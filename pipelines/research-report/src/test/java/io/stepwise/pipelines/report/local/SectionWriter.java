package io.stepwise.pipelines.report.local;

import io.stepwise.fakes.AnswerText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A section draft (English prose, no heading, as the section prompt asks): the section's question,
 * then what each given paper found, told from its abstract and cited by its number, then what the
 * papers say together and what they leave open for the report's topic. With no paper, it says so
 * and cites nothing.
 */
final class SectionWriter {

  /** {@code [n] Title (authors): abstract}, one line per paper. */
  private static final Pattern PAPER =
      Pattern.compile("(?m)^\\[(\\d+)] (.+) \\(([^()]*)\\): (.+)$");

  private static final Pattern NUMBER =
      Pattern.compile("\\d[\\d,.]*%|\\d+(?:\\.\\d+)? times|\\d+ bits|\\d{1,3}(?:,\\d{3})+");
  private static final Pattern SURVEY = Pattern.compile("^(?:A survey of |)(.+?)(?:研究综述)?$");

  /** One paper of the prompt. */
  record Source(String n, String title, String abstractText) {
    String cite() {
      return "[" + n + "]";
    }

    /**
     * Whether the paper's title shares a word with the topic (else it is from a neighbouring area).
     */
    boolean near(String topic) {
      String lower = topic.toLowerCase(Locale.ROOT);
      for (List<String> phrase : AnswerText.phrases(title)) {
        for (String word : phrase) {
          String w = word.toLowerCase(Locale.ROOT);
          if (w.length() > 2
              && (lower.contains(w)
                  || w.endsWith("s") && lower.contains(w.substring(0, w.length() - 1)))) {
            return true;
          }
        }
      }
      return false;
    }

    /** What the paper is about, from its title ("graph neural networks"). */
    String subject() {
      List<List<String>> phrases = AnswerText.phrases(title);
      return phrases.isEmpty()
          ? title
          : AnswerText.lower(
              phrases.get(0).size() == 1 && phrases.size() > 1 ? phrases.get(1) : phrases.get(0));
    }
  }

  private static final List<String> OPEN =
      List.of(
          "different data, longer time horizons and real users",
          "other domains, larger scales and tighter budgets",
          "noisier inputs, other languages and production traffic");

  private SectionWriter() {}

  static String section(String prompt) {
    String heading = ResearchReportAnswers.line("Section", prompt, "this section");
    String topic =
        AnswerText.find(
            SURVEY, ResearchReportAnswers.line("Report", prompt, "the topic"), "the topic");
    String question =
        Planner.question(
            ResearchReportAnswers.line("Question", prompt, heading + "?"), topic, false);
    List<Source> papers = new ArrayList<>();
    Matcher m = PAPER.matcher(prompt);
    while (m.find()) {
      papers.add(new Source(m.group(1), m.group(2).strip(), m.group(4).strip()));
    }
    StringBuilder text = new StringBuilder(question);
    if (papers.isEmpty()) {
      text.append(
          " No recent paper turned up for this question in the search, so this section gives the general "
              + "picture and cites nothing.\n\n");
      text.append(
              "In general terms, the question comes down to three things: what is being measured, what it costs, "
                  + "and how far the results transfer. Work on ")
          .append(topic)
          .append(
              " tends to report the first, mention "
                  + "the second and leave the third open, which is why the claims in this area are easier to state than to "
                  + "check.\n\n");
    } else {
      text.append(
          papers.size() == 1
              ? " One recent paper turned up for it."
              : " " + papers.size() + " recent papers turned up for it.");
      for (Source paper : papers) {
        text.append(" In \"")
            .append(paper.title())
            .append("\" ")
            .append(paper.cite())
            .append(", ")
            .append(told(paper.abstractText()));
      }
      text.append("\n\n").append(together(papers, topic)).append("\n\n");
    }
    String open = Planner.open(question);
    text.append("For ")
        .append(topic)
        .append(", the open question here is ")
        .append(
            open != null
                ? open
                : "whether these results hold under " + AnswerText.pick(heading, OPEN))
        .append('.');
    return text.toString();
  }

  /** An abstract's first sentence as part of a sentence: "We study X" → "the authors study X". */
  static String told(String abstractText) {
    String first =
        AnswerText.sentences(abstractText).stream().findFirst().orElse(abstractText).strip();
    if (first.startsWith("We ")) {
      first = "the authors " + first.substring(3);
    } else if (first.length() > 1 && Character.isLowerCase(first.charAt(1))) {
      first = Character.toLowerCase(first.charAt(0)) + first.substring(1);
    }
    return first.endsWith(".") ? first : first + ".";
  }

  /** What the papers say together: their subjects side by side and the numbers to keep in mind. */
  private static String together(List<Source> papers, String topic) {
    List<String> figures = new ArrayList<>();
    for (Source paper : papers) {
      Matcher number = NUMBER.matcher(paper.abstractText());
      if (number.find()) {
        figures.add(number.group() + " " + paper.cite());
      }
    }
    StringBuilder out = new StringBuilder();
    if (papers.size() == 1 && !papers.get(0).near(topic)) {
      out.append(papers.get(0).cite())
          .append(" comes from a neighbouring area, ")
          .append(papers.get(0).subject())
          .append(", so it bears on the question by analogy rather than directly; a paper on ")
          .append(topic)
          .append(" itself would settle more.");
    } else if (papers.size() == 1) {
      out.append("A single paper is thin evidence: ")
          .append(papers.get(0).cite())
          .append(" is one result on ")
          .append(papers.get(0).subject())
          .append(", a signal of where the field is going rather than a settled answer.");
    } else {
      out.append("Read together, ")
          .append(papers.get(0).cite())
          .append(" on ")
          .append(papers.get(0).subject());
      for (int i = 1; i < papers.size(); i++) {
        out.append(i == papers.size() - 1 ? " and " : ", ")
            .append(papers.get(i).cite())
            .append(" on ")
            .append(papers.get(i).subject());
      }
      out.append(
          " approach the question from different sides; their settings differ, so their numbers should not be "
              + "compared directly.");
    }
    if (figures.size() == 1) {
      out.append(" The figure to keep in mind is ").append(figures.get(0)).append('.');
    } else if (!figures.isEmpty()) {
      out.append(" The figures to keep in mind are ")
          .append(String.join(" and ", figures))
          .append('.');
    }
    return out.toString();
  }
}
