package io.stepwise.pipelines.report.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepwise.fakes.AnswerText;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The plan for a topic: one section per angle (the problem, methods, evaluation, cost, limits, what
 * is next), headings and questions naming the topic (in Chinese for a Chinese topic), keywords from
 * the topic's own words (a Chinese topic's through a small glossary) so that gather finds the
 * papers on it. The first two sections share a keyword, as plans do, so gather's de-duplication has
 * work; from the third on each adds its angle's word ("benchmark", "serving", ...), which the local
 * paper source always has a paper for.
 */
final class Planner {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern COUNT = Pattern.compile("exactly (\\d+) objects");

  /** Words of a topic that find nothing in particular. */
  private static final Set<String> VAGUE =
      Set.of(
          "models",
          "model",
          "systems",
          "system",
          "methods",
          "method",
          "approaches",
          "approach",
          "survey",
          "review",
          "report",
          "reports",
          "research",
          "study",
          "studies",
          "using",
          "based",
          "large",
          "recent",
          "state",
          "art",
          "overview",
          "introduction");

  /** Chinese terms and the English keywords that find their papers. */
  private static final Map<String, List<String>> KEYWORDS =
      Map.ofEntries(
          Map.entry("多智能体", List.of("multi-agent", "agents")),
          Map.entry("智能体", List.of("agents")),
          Map.entry("大语言模型", List.of("LLM")),
          Map.entry("大模型", List.of("LLM")),
          Map.entry("语言模型", List.of("language models")),
          Map.entry("扩散", List.of("diffusion")),
          Map.entry("蛋白质", List.of("protein")),
          Map.entry("推理", List.of("reasoning")),
          Map.entry("奖励", List.of("reward")),
          Map.entry("工具", List.of("tool use")),
          Map.entry("检索", List.of("retrieval")),
          Map.entry("视频", List.of("video")),
          Map.entry("长上下文", List.of("long-context")),
          Map.entry("压缩", List.of("compression")),
          Map.entry("对齐", List.of("alignment")),
          Map.entry("强化学习", List.of("reinforcement learning")),
          Map.entry("图神经网络", List.of("graph neural")),
          Map.entry("混合专家", List.of("mixture-of-experts")),
          Map.entry("缓存", List.of("cache")),
          Map.entry("规划", List.of("plans")),
          Map.entry("世界模型", List.of("world")),
          Map.entry("基准", List.of("benchmark")),
          Map.entry("评测", List.of("benchmark")));

  /**
   * Heading, question, the angle's own keyword (none for the first two), in English and in Chinese.
   */
  private record Angle(
      String heading,
      String question,
      String keyword,
      String headingZh,
      String questionZh,
      String subjectZh,
      String open) {}

  private static final List<Angle> ANGLES =
      List.of(
          new Angle(
              "%s: the problem and why now",
              "What problem is work on %s trying to solve, and why has it moved quickly in the past year?",
              null,
              "%s：问题与背景",
              "%s要解决什么问题，为什么近一年进展很快？",
              "%s要解决的问题",
              "whether the problem as these papers pose it is the one practitioners actually face"),
          new Angle(
              "Methods behind %s",
              "Which methods does recent work on %s build on, and how do they differ?",
              null,
              "%s的主要方法",
              "近期关于%s的工作依赖哪些方法，它们有何不同？",
              "%s的主要方法",
              "which of these methods still work when combined, and which only shine on their own benchmark"),
          new Angle(
              "Evaluating %s",
              "How are results on %s measured, and which benchmarks and numbers matter?",
              "benchmark",
              "如何评测%s",
              "%s的效果如何衡量，哪些基准和数字值得关注？",
              "%s的评测",
              "whether today's benchmarks measure what matters once a model leaves the lab"),
          new Angle(
              "The cost of %s",
              "What does it take to run %s, in compute, memory and engineering?",
              "serving",
              "%s的成本",
              "部署%s需要多少算力、内存和工程投入？",
              "%s的成本",
              "whether the savings survive real traffic, with its long tails and sudden bursts"),
          new Angle(
              "Limits of %s",
              "Where does work on %s fall short, and how robust are the reported gains?",
              "robust",
              "%s的局限",
              "%s在哪些情况下会失效，报告的提升有多稳健？",
              "%s的局限",
              "how these methods fail on inputs nobody curated, and how often"),
          new Angle(
              "Open questions for %s",
              "Which open questions about %s will the next papers have to answer?",
              "scaling",
              "%s的下一步",
              "关于%s，接下来的论文需要回答哪些问题？",
              "%s的后续方向",
              "which of these directions will still matter once the current benchmarks are saturated"));

  private Planner() {}

  static String plan(String prompt, String instructions) {
    String topic = ResearchReportAnswers.line("Topic", prompt, "the topic");
    int count =
        Integer.parseInt(
            ResearchReportAnswers.line(
                "Sections", prompt, AnswerText.find(COUNT, instructions, "4")));
    count = Math.max(1, Math.min(ANGLES.size(), count));
    boolean chinese = AnswerText.hasHan(topic);
    List<String> words = keywords(topic);
    ObjectNode plan = JSON.createObjectNode();
    plan.put("title", chinese ? topic + "研究综述" : "A survey of " + topic);
    ArrayNode sections = plan.putArray("sections");
    for (int i = 0; i < count; i++) {
      Angle angle = ANGLES.get(i);
      Set<String> keywords = new LinkedHashSet<>();
      if (!words.isEmpty()) {
        keywords.add(words.get(i % words.size()));
        if (i < 2 || angle.keyword() == null) {
          keywords.add(words.get((i + 1) % words.size()));
        }
      }
      if (angle.keyword() != null) {
        keywords.add(angle.keyword());
      }
      if (keywords.isEmpty()) {
        keywords.add("language models");
      }
      ObjectNode section =
          sections
              .addObject()
              .put(
                  "heading",
                  capitalised(
                      String.format(
                          Locale.ROOT, chinese ? angle.headingZh() : angle.heading(), topic)))
              .put(
                  "question",
                  String.format(
                      Locale.ROOT, chinese ? angle.questionZh() : angle.question(), topic));
      keywords.stream().limit(4).forEach(section.putArray("keywords")::add);
    }
    try {
      return "```json\n" + JSON.writerWithDefaultPrettyPrinter().writeValueAsString(plan) + "\n```";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A heading of this planner's in the report's language ("Methods behind LLM agents" → "LLM
   * agents的主要方法" and back), as the report prompt asks; any other heading as it is. Like the plan's
   * headings, it starts with a capital.
   */
  static String heading(String heading, String topic, boolean chinese) {
    return capitalised(
        translated(heading, topic, chinese ? Angle::headingZh : Angle::heading, heading));
  }

  /** A question of this planner's in the language asked; any other question as it is. */
  static String question(String question, String topic, boolean chinese) {
    for (Angle angle : ANGLES) {
      for (String template : List.of(angle.question(), angle.questionZh())) {
        String[] around = template.split("%s", -1);
        Matcher m =
            Pattern.compile(Pattern.quote(around[0]) + "(.+)" + Pattern.quote(around[1]))
                .matcher(question);
        if (m.matches()) {
          return String.format(
              Locale.ROOT, chinese ? angle.questionZh() : angle.question(), m.group(1));
        }
      }
    }
    return question;
  }

  /**
   * What stays open about a question of this planner's (for the section's closing), or null for
   * another question.
   */
  static String open(String question) {
    for (Angle angle : ANGLES) {
      for (String template : List.of(angle.question(), angle.questionZh())) {
        String[] around = template.split("%s", -1);
        if (Pattern.compile(Pattern.quote(around[0]) + "(.+)" + Pattern.quote(around[1]))
            .matcher(question)
            .matches()) {
          return angle.open();
        }
      }
    }
    return null;
  }

  /**
   * What a section of this planner's is about, in Chinese ("LLM agents的主要方法"), the topic spelt as
   * the report's {@code topic} spells it (a heading capitalises it); any other heading quoted.
   */
  static String chineseSubject(String heading, String topic) {
    return translated(heading, topic, Angle::subjectZh, "“" + heading + "”");
  }

  /**
   * The heading's topic put into {@code format}, when the heading is one of the planner's (in
   * either language).
   */
  private static String translated(
      String heading, String topic, Function<Angle, String> format, String otherwise) {
    for (Angle angle : ANGLES) {
      for (String template : List.of(angle.heading(), angle.headingZh())) {
        String[] around = template.split("%s", -1);
        Matcher m =
            Pattern.compile("(?i)" + Pattern.quote(around[0]) + "(.+)" + Pattern.quote(around[1]))
                .matcher(heading);
        if (m.matches()) {
          return String.format(
              Locale.ROOT,
              format.apply(angle),
              m.group(1).equalsIgnoreCase(topic) ? topic : m.group(1));
        }
      }
    }
    return otherwise;
  }

  private static String capitalised(String heading) {
    return heading.isEmpty()
        ? heading
        : Character.toUpperCase(heading.charAt(0)) + heading.substring(1);
  }

  /**
   * The topic's search words: its own words less stop words and vague ones, or a Chinese topic's
   * glossary terms.
   */
  static List<String> keywords(String topic) {
    Set<String> out = new LinkedHashSet<>();
    if (AnswerText.hasHan(topic)) {
      String rest = topic;
      List<String> terms = new ArrayList<>(KEYWORDS.keySet());
      terms.sort((a, b) -> b.length() - a.length());
      for (String term : terms) {
        if (rest.contains(term)) {
          out.addAll(KEYWORDS.get(term));
          rest = rest.replace(term, " ");
        }
      }
    }
    for (String word : topic.split("[^\\p{L}\\p{N}-]+")) {
      String lower = word.toLowerCase(Locale.ROOT);
      if (!lower.isEmpty()
          && !AnswerText.hasHan(lower)
          && !AnswerText.STOPWORDS.contains(lower)
          && !VAGUE.contains(lower)) {
        out.add(word.length() > 1 && word.equals(word.toUpperCase(Locale.ROOT)) ? word : lower);
      }
    }
    return out.stream().limit(4).toList();
  }
}
