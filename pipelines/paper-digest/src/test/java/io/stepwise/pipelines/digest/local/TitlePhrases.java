package io.stepwise.pipelines.digest.local;

import io.stepwise.fakes.AnswerText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A paper title's phrases (the runs of words between "for", "with", "via" and the like), the one it
 * is about (its subject: the first phrase that is more than a generic word such as "Benchmark") and
 * the words a short title can be made of.
 */
record TitlePhrases(List<List<String>> phrases, List<String> subject, List<String> other) {

  /** Words that say what kind of paper it is, not what it is about. */
  private static final Set<String> GENERIC =
      Set.of(
          "benchmark",
          "study",
          "survey",
          "framework",
          "approach",
          "method",
          "methods",
          "models",
          "model",
          "laws",
          "analysis",
          "explain",
          "chinese",
          "english",
          "towards");

  static TitlePhrases of(String title) {
    List<List<String>> phrases = AnswerText.phrases(title);
    if (phrases.isEmpty()) {
      phrases.add(List.of("this", "paper"));
    }
    List<String> subject =
        phrases.stream().filter(p -> !generic(p)).findFirst().orElse(phrases.get(0));
    List<String> other = subject;
    for (List<String> p : phrases) {
      other =
          p != subject && !generic(p)
              ? p
              : other; // the last such phrase: the paper's setting or data
    }
    return new TitlePhrases(phrases, subject, other);
  }

  /**
   * What a short title can name, best first: the subject, its endings that drop only describing
   * words ("KV-Cache Compression" from "Efficient KV-Cache Compression", never "Neural Networks"
   * from "Graph Neural Networks"), the other phrases of two words or more and their endings, then
   * single words (technical ones such as "KV-Cache" first), generic words never.
   */
  List<List<String>> candidates() {
    List<List<String>> ordered = new ArrayList<>();
    if (subject.size() > 1) {
      ordered.add(subject); // a single word comes with the other single words below
    }
    for (int from = 1; from < subject.size() - 1 && describing(subject.get(from - 1)); from++) {
      ordered.add(subject.subList(from, subject.size()));
    }
    List<List<String>> byPreference = new ArrayList<>(phrases);
    byPreference.remove(subject);
    for (List<String> p : byPreference) {
      for (int from = 0; from < p.size() - 1; from++) {
        ordered.add(p.subList(from, p.size()));
      }
    }
    byPreference.add(0, subject);
    List<List<String>> singles = new ArrayList<>();
    for (List<String> p : byPreference) {
      for (String w : p) {
        if (!GENERIC.contains(w.toLowerCase(Locale.ROOT))) {
          singles.add(List.of(w));
        }
      }
    }
    singles.sort((a, b) -> Boolean.compare(technical(b.get(0)), technical(a.get(0))));
    ordered.addAll(singles);
    return ordered;
  }

  /**
   * A word that looks like it describes the next one ("Efficient", "Self-Correcting",
   * "Verifiable").
   */
  private static boolean describing(String word) {
    return word.toLowerCase(Locale.ROOT)
        .matches(".*(ent|ant|ive|ous|able|ible|ic|ed|ing|ful|less)");
  }

  private static boolean generic(List<String> phrase) {
    return phrase.stream()
        .allMatch(w -> GENERIC.contains(w.toLowerCase(Locale.ROOT)) || w.matches("\\d+"));
  }

  /** A hyphenated word, an acronym or a word with capitals inside ("KV-Cache", "LLMs", "GPT-4"). */
  static boolean technical(String word) {
    return word.contains("-")
        || word.chars().skip(1).anyMatch(Character::isUpperCase)
        || word.chars().anyMatch(Character::isDigit);
  }

  /** The words as running text ({@link AnswerText#lower}). */
  static String lower(List<String> words) {
    return AnswerText.lower(words);
  }

  /**
   * The words as one tag: letters and digits only, each word capitalised ("LongContextReasoning").
   */
  static String tag(List<String> words) {
    StringBuilder out = new StringBuilder();
    for (String w : words) {
      for (String part : w.split("[^\\p{L}\\p{N}]+")) {
        if (!part.isEmpty()) {
          out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
      }
    }
    return out.toString();
  }
}
