package io.stepwise.fakes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Small text tools for {@link ModelAnswers} implementations: reading a labelled line of a prompt,
 * splitting sentences and words, and choosing among phrasings by the prompt's content, so that
 * different inputs read differently while the same input always gets the same answer.
 */
public final class AnswerText {

  /** English words that carry no topic (for picking the words of a title or a topic that do). */
  public static final Set<String> STOPWORDS =
      Set.of(
          "a",
          "an",
          "the",
          "for",
          "with",
          "without",
          "via",
          "of",
          "on",
          "in",
          "into",
          "to",
          "and",
          "or",
          "as",
          "that",
          "from",
          "by",
          "using",
          "towards",
          "toward",
          "through",
          "at",
          "is",
          "are",
          "be",
          "can",
          "do",
          "does",
          "their",
          "its",
          "our",
          "we",
          "how",
          "what",
          "why",
          "when",
          "which",
          "who",
          "themselves",
          "itself",
          "versus",
          "vs",
          "this",
          "these",
          "those",
          "than",
          "about",
          "between",
          "under",
          "over",
          "beyond",
          "new",
          "recent");

  private static final Pattern SENTENCE_END =
      Pattern.compile("(?<=[.!?])\\s+(?=[\\p{Lu}\\d\"“(])|(?<=[。！？])");
  private static final Pattern HAN = Pattern.compile("\\p{IsHan}");

  private AnswerText() {}

  /**
   * The first group of {@code pattern}'s first match in {@code text}, stripped; {@code fallback}
   * when none.
   */
  public static String find(Pattern pattern, String text, String fallback) {
    Matcher m = pattern.matcher(text);
    return m.find() ? m.group(1).strip() : fallback;
  }

  /** The text's sentences, in order, whitespace folded. */
  public static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    for (String s : SENTENCE_END.split(text.strip().replaceAll("\\s+", " "))) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  /**
   * A title's phrases: the runs of words between stop words ("Graph Neural Networks for Protein
   * Docking" → [Graph, Neural, Networks], [Protein, Docking]), punctuation around words dropped; a
   * colon or comma ends a run.
   */
  public static List<List<String>> phrases(String title) {
    List<List<String>> phrases = new ArrayList<>();
    List<String> run = new ArrayList<>();
    for (String token : title.strip().split("\\s+")) {
      String word = token.replaceAll("^[\\p{Punct}“”‘’]+|[\\p{Punct}“”‘’]+$", "");
      boolean stop = word.isEmpty() || STOPWORDS.contains(word.toLowerCase(Locale.ROOT));
      if (!stop) {
        run.add(word);
      }
      if ((stop || token.endsWith(":") || token.endsWith(",")) && !run.isEmpty()) {
        phrases.add(run);
        run = new ArrayList<>();
      }
    }
    if (!run.isEmpty()) {
      phrases.add(run);
    }
    return phrases;
  }

  /**
   * Title words as running text: lower case, except acronyms and words with capitals inside their
   * parts ("LLMs", "KV-Cache"); a title-case compound ("Long-Context") is lowered.
   */
  public static String lower(List<String> words) {
    List<String> out = new ArrayList<>();
    for (String w : words) {
      boolean keep = false;
      for (String part : w.split("-")) {
        keep |= part.chars().skip(1).anyMatch(Character::isUpperCase);
      }
      out.add(keep ? w : w.toLowerCase(Locale.ROOT));
    }
    return String.join(" ", out);
  }

  /** Whether the text has a Chinese character. */
  public static boolean hasHan(String text) {
    return HAN.matcher(text).find();
  }

  /** One of {@code options}, always the same for the same {@code seed}. */
  public static <T> T pick(String seed, List<T> options) {
    return options.get(Math.floorMod(hash(seed), options.size()));
  }

  /** A hash of the text that is the same in every JVM (CRC-32 of its UTF-8). */
  public static int hash(String text) {
    CRC32 crc = new CRC32();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return (int) crc.getValue();
  }
}
