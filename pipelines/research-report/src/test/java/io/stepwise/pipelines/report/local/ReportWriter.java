package io.stepwise.pipelines.report.local;

import io.stepwise.fakes.AnswerText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The report in Markdown from the section drafts, as the report prompt asks: the title as {@code
 * #}, one {@code ##} per section in the order given, every citation kept and none added. In English
 * the drafts are kept as written, with an introduction and a sentence leading from each section to
 * the next; in Chinese each section says what it discusses, which cited papers bear on it (by title
 * and number, with their figures) and what to make of them, in paragraphs chosen per section so
 * that neighbouring sections do not read alike.
 */
final class ReportWriter {

  /** {@code "Title" [n]} as a section draft cites a paper. */
  private static final Pattern CITED = Pattern.compile("\"([^\"]+)\" \\[(\\d+)]");

  private static final Pattern FIGURE =
      Pattern.compile(
          "(\\d[\\d,.]*%|\\d+(?:\\.\\d+)? times|\\d+ bits|\\d{1,3}(?:,\\d{3})+) (\\[\\d+])");
  private static final Pattern SURVEY = Pattern.compile("^A survey of (.+)$");
  private static final Pattern ZH_SURVEY = Pattern.compile("^(.+?)(?:研究综述)?$");

  private static final List<String> NEXT =
      List.of(
          "With that in place, the next part turns to %s.",
          "That leads to the next question: %s.", "The next part takes up %s.");

  /**
   * Chinese paragraphs, four per section and the next four for the next section: {@code %1$s} what
   * the section is about ("LLM agents的主要方法"), {@code %2$s} the report's topic.
   */
  private static final List<String> CHINESE =
      List.of(
          "从方法上看，围绕%1$s的工作大多遵循相似的思路：先把问题拆成可以单独衡量的部分，再逐一改进，最后在统一的基准上比较。"
              + "这种做法让进展更容易被看见，但也意味着结论往往依赖具体的设定。阅读这些论文时，值得留意它们各自使用的数据、规模和评测指标，"
              + "因为同样的数字在不同设定下含义可能完全不同。",
          "从评测上看，与%1$s相关的结果总体令人鼓舞，但大多基于精心整理的数据集和较短的时间跨度。真实场景中的输入更嘈杂，分布也会随时间变化，"
              + "论文中的提升能否保持，还需要更多独立的复现来回答。对于%2$s而言，这一点尤其重要：一次性的好结果并不等于可以长期依赖的能力。",
          "从成本上看，%1$s所涉及的新方法，带来的提升往往伴随着额外的算力、内存或工程投入。评估是否采用某项工作时，应把这些开销与收益放在一起衡量，"
              + "并尽量在与自身业务相近的数据上重新测量，而不是只依赖论文中报告的最好结果。对于资源有限的团队，先在小规模场景中验证关键假设，"
              + "再逐步扩大应用范围，是更稳妥的做法。",
          "从风险上看，模型在少见输入上的行为、对超参数的敏感程度以及失败时的表现，都是论文较少讨论、却在落地时最先遇到的问题。"
              + "在使用与%1$s相关的成果时，建议持续记录异常情况，并为关键环节保留人工检查，以便在结果偏离预期时及时调整，"
              + "而不是把实验室里的结论直接套用到复杂多变的业务之中。",
          "展望未来，围绕%1$s仍有不少问题没有答案：结果能否推广到其他语言和领域，规模继续扩大时收益是否递减，以及不同方法能否组合使用。"
              + "接下来的论文如果能在统一、公开的设定下回答这些问题，%2$s这一方向的判断就会清晰得多。",
          "从研究脉络上看，%2$s并不是凭空出现的：它继承了此前多年在数据、模型和评测上的积累，又因为算力和开源生态的变化而加速。"
              + "理解%1$s时，把新工作放回这条脉络中比较，往往比单独看某一篇论文的结论更能看清真正的进步在哪里。",
          "从落地的角度看，一项成果是否有用，取决于它能否在真实的约束下复现：数据是否可得，流程是否稳定，出错时是否容易排查。"
              + "就%1$s而言，公开代码和数据的论文更值得优先尝试，而只给出最好结果的工作，则需要在自己的场景中重新验证后再下结论。",
          "从争议上看，不同团队对%1$s的判断并不完全一致：有人强调已经取得的提升，有人更关注尚未解决的失败案例。"
              + "两种看法都有依据，关键在于把结论和它成立的条件一起说清楚。对于关注%2$s的读者来说，带着这种审慎去读新论文，比追逐单个数字更有价值。",
          "从数据上看，%1$s离不开高质量的数据：训练数据的来源、规模和清洗方式，往往比模型结构的细微差别更能决定最终效果。"
              + "遗憾的是，不少论文对数据的描述并不充分，这给复现和比较都带来了困难。阅读时，值得先弄清楚作者用了什么数据，以及这些数据与目标场景有多接近。",
          "从工程实现上看，%1$s中的许多细节并不会写进论文正文，却直接影响结果能否复现：随机种子、超参数搜索的范围、评测时的提示写法，"
              + "都可能让数字出现明显波动。公开代码的工作在这方面更值得信赖，也更方便后来者在其基础上继续改进。",
          "从比较的角度看，%1$s常常需要与更简单的基线放在一起衡量：如果一个朴素的方法在调好参数之后就能取得接近的效果，"
              + "那么新方法的价值就需要重新评估。好的论文会主动报告这类对比，并说明新方法在哪些条件下优势最明显。",
          "从读者的角度看，理解%1$s最有效的方式，是把几篇代表性论文放在一起读：先看它们想解决的问题是否相同，再看评测是否可比，"
              + "最后看结论之间是否互相印证。这样得到的判断，比单独记住某一篇论文的最好数字更可靠，也更容易用在自己的工作中。");

  /** A section's last line in Chinese: {@code %1$s} what the section is about. */
  private static final List<String> CLOSING =
      List.of(
          "小结：就%1$s而言，现有证据已经指明了方向，但还不足以下定论。建议把本节提到的论文放在一起读，并随着新论文和新数据持续跟踪。",
          "小结：看待%1$s，需要把论文的结论和它成立的条件放在一起，独立复现的结果尤其值得关注；在自己的场景中验证之前，不宜直接采用论文中的数字。",
          "小结：对%1$s的判断应随着新的数据和新的论文不断修正，而不是停留在某一次实验的数字上；真正可靠的结论，往往来自多个团队在不同设定下的一致发现。");

  private ReportWriter() {}

  /** One {@code ##} section of the prompt: its heading and its draft. */
  private record Section(String heading, String text) {}

  static String report(String prompt, boolean chinese) {
    String title = ResearchReportAnswers.line("Title", prompt, "Research report");
    Matcher survey = SURVEY.matcher(title);
    String topic = survey.matches() ? survey.group(1) : AnswerText.find(ZH_SURVEY, title, title);
    List<Section> sections = new ArrayList<>();
    String[] blocks = prompt.split("\n## ");
    for (int i = 1; i < blocks.length; i++) {
      String heading = blocks[i].lines().findFirst().orElse("Section " + i).strip();
      sections.add(new Section(heading, blocks[i].substring(blocks[i].indexOf('\n') + 1).strip()));
    }
    boolean planned = survey.matches() || title.endsWith("研究综述");
    return chinese
        ? chinese(planned ? topic + "研究综述" : title, topic, sections)
        : english(planned ? "A survey of " + topic : title, topic, sections);
  }

  private static String english(String title, String topic, List<Section> sections) {
    StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
    md.append("This report looks at ")
        .append(topic)
        .append(" in ")
        .append(sections.size())
        .append(
            " parts. Each "
                + "answers one question from recent papers, cited by number in square brackets; the papers are listed at the "
                + "end.\n\n");
    for (int i = 0; i < sections.size(); i++) {
      Section s = sections.get(i);
      md.append("## ")
          .append(Planner.heading(s.heading(), topic, false))
          .append("\n\n")
          .append(s.text())
          .append("\n\n");
      if (i + 1 < sections.size()) {
        md.append(
                String.format(
                    NEXT.get(i % NEXT.size()),
                    lowerFirst(Planner.heading(sections.get(i + 1).heading(), topic, false))))
            .append("\n\n");
      }
    }
    long cited = sections.stream().filter(s -> s.text().contains("[")).count();
    md.append(
        cited == sections.size()
            ? "All " + cited + " parts rest on recent papers. "
            : cited == 0
                ? "No part could rest on a recent paper, so the report gives the general picture. "
                : cited
                    + " of the "
                    + sections.size()
                    + " parts rest on recent papers, the others on the general picture. ");
    md.append("The evidence on ")
        .append(topic)
        .append(
            " is promising but partial: each result holds in the setting "
                + "it was measured in, and the next step is to test the strongest of them side by side.\n");
    return md.toString();
  }

  private static String chinese(String title, String topic, List<Section> sections) {
    StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
    md.append("本报告从")
        .append(sections.size())
        .append("个方面梳理")
        .append(topic)
        .append("的近期研究。每一部分回答一个问题，论断后用方括号标注所引用论文的编号，文末列出参考文献。\n\n");
    for (int i = 0; i < sections.size(); i++) {
      Section s = sections.get(i);
      String subject = Planner.chineseSubject(s.heading(), topic);
      md.append("## ").append(Planner.heading(s.heading(), topic, true)).append("\n\n");
      String question = AnswerText.sentences(s.text()).stream().findFirst().orElse("");
      if (question.endsWith("?") || question.endsWith("？")) {
        md.append("本节要回答的问题是：").append(Planner.question(question, topic, true)).append("\n\n");
      }
      Map<String, String> cited = new LinkedHashMap<>();
      Matcher m = CITED.matcher(s.text());
      while (m.find()) {
        cited.put("[" + m.group(2) + "]", m.group(1));
      }
      if (cited.isEmpty()) {
        md.append("本节讨论").append(subject).append("。检索没有找到与这一问题直接相关的近期论文，因此本节只给出总体判断，不引用具体文献。\n\n");
      } else {
        md.append("本节讨论").append(subject).append("，检索到的论文有").append(cited.size()).append("篇。");
        for (Map.Entry<String, String> paper : cited.entrySet()) {
          md.append("《").append(paper.getValue()).append("》").append(paper.getKey());
          List<String> figures = figures(s.text(), paper.getKey());
          md.append(
              figures.isEmpty()
                  ? "提供了直接的实验证据。"
                  : "报告的关键数字是"
                      + String.join("、", figures).replace(" times", "倍").replace(" bits", "比特")
                      + "。");
        }
        md.append("\n\n");
      }
      for (int p = 0; p < 4; p++) {
        md.append(String.format(CHINESE.get((4 * i + p) % CHINESE.size()), subject, topic))
            .append("\n\n");
      }
      md.append(String.format(CLOSING.get(i % CLOSING.size()), subject)).append("\n\n");
    }
    return md.toString().strip() + "\n";
  }

  /** The figures a draft quotes for one citation ("71% [2]"). */
  private static List<String> figures(String text, String cite) {
    List<String> out = new ArrayList<>();
    Matcher m = FIGURE.matcher(text);
    while (m.find()) {
      if (m.group(2).equals(cite)) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  private static String lowerFirst(String heading) {
    return heading.length() > 1
            && Character.isUpperCase(heading.charAt(0))
            && Character.isLowerCase(heading.charAt(1))
        ? Character.toLowerCase(heading.charAt(0)) + heading.substring(1)
        : heading;
  }
}
