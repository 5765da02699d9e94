package io.stepwise.pipelines.digest.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepwise.fakes.AnswerText;
import io.stepwise.fakes.Conversation;
import io.stepwise.fakes.ModelAnswers;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local model's answer to analyze's prompt (a post as JSON: title, summary, keyPoints, tags),
 * written from the paper in the prompt as the prompt asks: in English or Chinese, the title within
 * the length the prompt gives, built from the title's subject ("Long-Context Reasoning", 长上下文推理 in
 * Chinese) rather than the paper's title cut short; the summary retells the abstract (in Chinese:
 * what kind of result it is) without repeating the title; the key points say what kind of result it
 * is, a number or the setting, and who should read it; the tags name the subject and the setting.
 * Same prompt, same post.
 */
public final class PaperDigestAnswers implements ModelAnswers {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TITLE = Pattern.compile("(?m)^Title: (.+)$");
  private static final Pattern ABSTRACT = Pattern.compile("(?ms)^Abstract: (.+)");
  private static final Pattern TITLE_MAX =
      Pattern.compile("\"title\"[^\"]*?at most (\\d+) characters");

  /**
   * A number worth quoting: a share, a multiple, a size with a unit, or at least 10 (not "paper
   * 7").
   */
  private static final Pattern NUMBER =
      Pattern.compile(
          "(\\d[\\d,.]*%|\\d[\\d,.]*(?=\\s+(?:times|bits|orders of magnitude))|\\d{1,3}(?:,\\d{3})+|\\d+\\.\\d+|[1-9]\\d+)(?:\\s+(times|bits|orders of magnitude))?");

  private static final Pattern AND_VERB =
      Pattern.compile(
          " and (find|show|propose|present|introduce|demonstrate|evaluate|observe|release|report)\\b");
  private static final List<String> ENGLISH_TITLES =
      List.of("Inside %s", "%s, explained", "Why %s matter", "%s in brief");
  private static final List<String> CHINESE_TITLES =
      List.of("一文读懂%s", "%s新进展", "%s，值得一读", "论文速递｜%s", "%s有何突破");

  @Override
  public Optional<String> answer(Conversation conversation) {
    String instructions = conversation.instructions();
    String prompt = conversation.prompt();
    if (!instructions.contains("\"keyPoints\"") || !TITLE.matcher(prompt).find()) {
      return Optional.empty();
    }
    String title = AnswerText.find(TITLE, prompt, "");
    String abstractText = AnswerText.find(ABSTRACT, prompt, "").replaceAll("\\s+", " ");
    int titleMax = Integer.parseInt(AnswerText.find(TITLE_MAX, instructions, "20"));
    boolean chinese = instructions.contains("Chinese");
    TitlePhrases phrases = TitlePhrases.of(title);
    ObjectNode post = JSON.createObjectNode();
    if (chinese) {
      chinesePost(post, title, abstractText, titleMax, phrases);
    } else {
      englishPost(post, title, abstractText, titleMax, phrases);
    }
    try {
      return Optional.of(
          "```json\n" + JSON.writerWithDefaultPrettyPrinter().writeValueAsString(post) + "\n```");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void englishPost(
      ObjectNode post, String title, String abstractText, int titleMax, TitlePhrases phrases) {
    post.put("title", shortTitle(title, titleMax, phrases, ENGLISH_TITLES, false));
    StringBuilder summary = new StringBuilder();
    for (String sentence : AnswerText.sentences(abstractText)) {
      String told =
          summary.isEmpty()
              ? retold(sentence)
              : sentence.replaceFirst("^We ", "The authors ").replaceFirst("^Our ", "Their ");
      if (!summary.isEmpty() && summary.length() + told.length() > 380) {
        break;
      }
      summary.append(told).append(' ');
    }
    post.put("summary", summary.toString().strip());
    String number = numberClause(abstractText);
    boolean setting = !phrases.other().equals(phrases.subject());
    // Each point says something the others do not: the kind of result, a number or the setting, who
    // it is for.
    post.putArray("keyPoints")
        .add("Result: " + Kind.of(abstractText).english)
        .add(
            number != null
                ? "Key number: " + number
                : setting
                    ? "Setting: " + TitlePhrases.lower(phrases.other())
                    : "Focus: " + TitlePhrases.lower(phrases.subject()))
        .add(
            number != null && setting
                ? "Read it if you work on " + TitlePhrases.lower(phrases.other())
                : "A quick read before the full paper");
    Set<String> tags =
        new LinkedHashSet<>(List.of("AI", tag(phrases.subject()), tag(phrases.other()), "arXiv"));
    tags.forEach(post.withArray("tags")::add);
  }

  /**
   * A phrase as one tag ("LongContextReasoning"), its last word when that is too long for a tag.
   */
  private static String tag(List<String> words) {
    String tag = TitlePhrases.tag(words);
    return tag.length() <= 20
        ? tag
        : TitlePhrases.tag(words.subList(words.size() - 1, words.size()));
  }

  private static void chinesePost(
      ObjectNode post, String title, String abstractText, int titleMax, TitlePhrases phrases) {
    String subject = Glossary.chinese(phrases.subject());
    String other = Glossary.chinese(phrases.other());
    post.put("title", shortTitle(title, titleMax, phrases, CHINESE_TITLES, true));
    Kind kind = Kind.of(abstractText);
    List<String> numbers = numbers(abstractText);
    StringBuilder summary = new StringBuilder("这篇论文聚焦").append(subject);
    if (!subject.equals(String.join(" ", phrases.subject()))) {
      summary.append("（").append(String.join(" ", phrases.subject())).append("）");
    }
    summary
        .append("。")
        .append(kind.sentence); // the paper's numbers go into a key point of their own
    post.put("summary", summary.toString());
    boolean setting = !other.equals(subject);
    post.putArray("keyPoints")
        .add("核心思路：" + kind.point)
        .add(
            !numbers.isEmpty()
                ? "关键数字：" + String.join("、", numbers)
                : setting ? "相关方向：" + other : "阅读建议：先看摘要，再看实验部分")
        .add(!numbers.isEmpty() && setting ? "适合人群：关注" + other + "的研究者和工程师" : "适合人群：想快速了解这一方向的读者");
    Set<String> tags =
        new LinkedHashSet<>(
            List.of(
                "人工智能",
                subject.replaceAll("[\\s\\p{Punct}]", ""),
                other.replaceAll("[\\s\\p{Punct}]", ""),
                "论文解读"));
    tags.forEach(post.withArray("tags")::add);
  }

  /**
   * A title of at most {@code max} characters naming what the paper is about: the first candidate
   * phrase that fits one of the phrasings (tried in an order chosen by the paper's title), else one
   * that fits bare; in Chinese the phrase is translated and always framed, so the title is Chinese.
   */
  static String shortTitle(
      String paperTitle, int max, TitlePhrases phrases, List<String> phrasings, boolean chinese) {
    int start = Math.floorMod(AnswerText.hash(paperTitle), phrasings.size());
    for (List<String> candidate : phrases.candidates()) {
      String name = chinese ? Glossary.chinese(candidate) : String.join(" ", candidate);
      for (int i = 0; i < phrasings.size(); i++) {
        String phrasing = phrasings.get((start + i) % phrasings.size());
        if (phrasing.startsWith("Why") && !plural(candidate)) {
          phrasing = phrasing + "s";
        }
        String title = String.format(Locale.ROOT, phrasing, name);
        if (title.codePointCount(0, title.length()) <= max) {
          return title;
        }
      }
      if (!chinese && name.length() <= max) {
        return name;
      }
    }
    return chinese
        ? "新论文速递"
        : String.join(" ", phrases.subject())
            .substring(0, Math.min(max, String.join(" ", phrases.subject()).length()))
            .strip();
  }

  /** The abstract's first sentence told about the paper: "We study X" → "The paper studies X". */
  static String retold(String sentence) {
    Matcher we = Pattern.compile("^We (\\p{L}+)(.*)$").matcher(sentence);
    if (we.matches()) {
      String verb = we.group(1);
      String third =
          verb.matches(".*[^aeiou]y")
              ? verb.substring(0, verb.length() - 1) + "ies"
              : verb.matches(".*(s|sh|ch|x|z|o)") ? verb + "es" : verb + "s";
      Matcher and = AND_VERB.matcher(we.group(2));
      return "The paper "
          + third
          + and.replaceAll(
              r -> " and " + (r.group(1).endsWith("sh") ? r.group(1) + "es" : r.group(1) + "s"));
    }
    boolean name = sentence.length() > 1 && !Character.isLowerCase(sentence.charAt(1));
    return "The paper shows that "
        + (name ? sentence : Character.toLowerCase(sentence.charAt(0)) + sentence.substring(1));
  }

  private static boolean plural(List<String> words) {
    String last = words.get(words.size() - 1).toLowerCase(Locale.ROOT);
    return last.endsWith("s") && !last.endsWith("ss");
  }

  /**
   * The first number of the abstract with a few words around it ("71% of their own mistakes"), or
   * null.
   */
  static String numberClause(String abstractText) {
    Matcher number = NUMBER.matcher(abstractText);
    if (!number.find()) {
      return null;
    }
    List<String> words = List.of(abstractText.split(" "));
    int at = abstractText.substring(0, number.start()).split(" ", -1).length - 1;
    List<String> window =
        new ArrayList<>(words.subList(Math.max(0, at - 2), Math.min(words.size(), at + 5)));
    while (window.size() > 1
        && AnswerText.STOPWORDS.contains(window.get(0).toLowerCase(Locale.ROOT))) {
      window.remove(0);
    }
    while (window.size() > 1
        && AnswerText.STOPWORDS.contains(
            window.get(window.size() - 1).toLowerCase(Locale.ROOT).replaceAll("\\p{Punct}", ""))) {
      window.remove(window.size() - 1);
    }
    return String.join(" ", window).replaceAll("[,.;:]$", "");
  }

  /** Up to two numbers of the abstract with their unit, in Chinese ("40倍", "3比特", "71%"). */
  static List<String> numbers(String abstractText) {
    List<String> out = new ArrayList<>();
    Matcher m = NUMBER.matcher(abstractText);
    while (m.find() && out.size() < 2) {
      String unit =
          m.group(2) == null
              ? ""
              : switch (m.group(2)) {
                case "times" -> "倍";
                case "bits" -> "比特";
                default -> "个数量级";
              };
      out.add(m.group(1) + unit);
    }
    return out;
  }

  /**
   * What kind of result an abstract reports, told by its words, with how a Chinese post says it.
   */
  enum Kind {
    BENCHMARK(
        "作者发布了新的评测基准，专门考察模型在这一方向上的真实水平。",
        "发布新基准",
        "a new benchmark to measure against",
        "benchmark",
        "release",
        "dataset"),
    EFFICIENCY(
        "作者把重点放在效率上，在几乎不损失效果的前提下明显降低了开销。",
        "更省算力和内存",
        "the same quality for less compute or memory",
        "faster",
        "halves",
        "memory",
        "cost",
        "efficien"),
    SCALING(
        "作者系统地测量了规模带来的变化，总结出可以用来预测效果的规律。",
        "找到可预测的规律",
        "a law that predicts quality from scale",
        "scales",
        "scaling",
        "power law"),
    ROBUSTNESS(
        "作者关注稳健性，让模型不容易被投机取巧的信号误导。",
        "更稳健、更难被钻空子",
        "more robust, harder to game",
        "robust",
        "hacking",
        "safety"),
    SELF_CHECK(
        "作者让模型在每一步自我检查，出错后能够自行纠正。",
        "每一步自我检查",
        "models that check and fix their own steps",
        "verify",
        "checker",
        "correct"),
    SIMULATION(
        "作者用模型预测和模拟未来的情形，并把它用于离线评估。",
        "用模型模拟未来",
        "a learned simulator of what happens next",
        "simulat",
        "predict"),
    METHOD("作者提出了新的方法，并用实验验证了它的效果。", "新方法加实验验证", "a new method, tested in experiments");

    final String sentence;
    final String point;
    final String english;
    final List<String> cues;

    Kind(String sentence, String point, String english, String... cues) {
      this.sentence = sentence;
      this.point = point;
      this.english = english;
      this.cues = List.of(cues);
    }

    static Kind of(String abstractText) {
      String lower = abstractText.toLowerCase(Locale.ROOT);
      for (Kind kind : values()) {
        if (kind.cues.stream().anyMatch(lower::contains)) {
          return kind;
        }
      }
      return METHOD;
    }
  }
}
