package io.stepwise.fakes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local model's answers to the research report's three prompts, told apart by the marker their system
 * prompt opens with ({@code [report:plan]}, {@code [report:section]}, {@code [report:write]}): a plan as JSON
 * whose keywords find papers in {@link PaperSourceServer}'s fixture (two sections share a paper, so the
 * de-duplication shows), a section citing the papers it was given as {@code [n]}, and a long Markdown report
 * (in Chinese or English, as the system prompt asks) with the given headings and citations. Canned, but the
 * same prompt always gets the same answer, so a stitched answer can be compared with an uncut one.
 */
final class ReportAnswers {

  static final String PLAN = "[report:plan]";
  static final String SECTION = "[report:section]";
  static final String WRITE = "[report:write]";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TOPIC = Pattern.compile("Topic: (.+)");
  private static final Pattern COUNT = Pattern.compile("Sections: (\\d+)");
  private static final Pattern SECTION_NAME = Pattern.compile("Section: (.+)");
  private static final Pattern PAPER = Pattern.compile("(?m)^\\[(\\d+)] (.+?) \\(");
  private static final Pattern TITLE = Pattern.compile("Title: (.+)");
  private static final Pattern CITATION = Pattern.compile("\\[(\\d+)]");

  /** Heading, question, keywords: each theme's keywords match papers of the arXiv fixture. */
  private static final String[][] THEMES = {
      {"Agents that plan and correct themselves", "How do agents verify and repair their own plans?", "agents", "plans"},
      {"Tools without fine-tuning", "How far does in-context tool use go?", "tool use", "agents"},
      {"Reasoning over long contexts", "How is long-context reasoning measured?", "long-context", "reasoning"},
      {"Serving large models efficiently", "What makes serving LLMs cheaper?", "kv-cache", "mixture-of-experts"},
      {"Reward models and alignment", "Can reward models explain their judgements?", "reward"},
      {"World models from video", "Can diffusion models simulate the world?", "diffusion", "video"},
  };

  private ReportAnswers() {}

  /** The answer to a report prompt, or null when the system prompt is not one of the report's. */
  static String answer(String system, String user) {
    if (system.contains(PLAN)) {
      return plan(user);
    }
    if (system.contains(SECTION)) {
      return section(user);
    }
    if (system.contains(WRITE)) {
      return report(user, system.contains("Chinese"));
    }
    return null;
  }

  private static String plan(String user) {
    String topic = find(TOPIC, user, "the topic");
    int count = Math.max(1, Math.min(THEMES.length, Integer.parseInt(find(COUNT, user, "4"))));
    ObjectNode plan = JSON.createObjectNode();
    plan.put("title", "A survey of " + topic);
    ArrayNode sections = plan.putArray("sections");
    for (int i = 0; i < count; i++) {
      ObjectNode s = sections.addObject().put("heading", THEMES[i][0]).put("question", THEMES[i][1]);
      ArrayNode keywords = s.putArray("keywords");
      for (int k = 2; k < THEMES[i].length; k++) {
        keywords.add(THEMES[i][k]);
      }
    }
    try {
      return "```json\n" + JSON.writerWithDefaultPrettyPrinter().writeValueAsString(plan) + "\n```";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String section(String user) {
    String heading = find(SECTION_NAME, user, "this section");
    List<String> cites = new ArrayList<>();
    List<String> titles = new ArrayList<>();
    Matcher m = PAPER.matcher(user);
    while (m.find()) {
      cites.add("[" + m.group(1) + "]");
      titles.add(m.group(2));
    }
    StringBuilder text = new StringBuilder("This section looks at " + heading.toLowerCase() + ". ");
    if (cites.isEmpty()) {
      text.append("No recent paper was found for it, so it summarises the common understanding of the area. ");
    }
    for (int i = 0; i < cites.size(); i++) {
      text.append("The paper \"").append(titles.get(i)).append("\" ").append(cites.get(i))
          .append(" contributes a method and an evaluation that bear directly on the question. ");
    }
    text.append("\n\nTaken together, the evidence suggests steady progress, with open questions about cost, "
        + "robustness and how well the results carry over to real deployments.");
    return text.toString();
  }

  private static String report(String user, boolean chinese) {
    String title = find(TITLE, user, "Research report");
    StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
    md.append(chinese
        ? "本报告综合近期论文，按章节回答规划中的问题，并在每处论断后标注所引用的论文。\n\n"
        : "This report brings recent papers together, answers the planned questions section by section and "
            + "cites the papers behind each claim.\n\n");
    String[] blocks = user.split("\n## ");
    for (int i = 1; i < blocks.length; i++) {
      String heading = blocks[i].lines().findFirst().orElse("Section " + i).strip();
      Set<String> cites = new LinkedHashSet<>();
      Matcher m = CITATION.matcher(blocks[i]);
      while (m.find()) {
        cites.add("[" + m.group(1) + "]");
      }
      String cited = cites.isEmpty() ? "" : " " + String.join("", cites);
      md.append("## ").append(heading).append("\n\n");
      for (int p = 1; p <= 4; p++) {
        md.append(chinese ? chineseParagraph(heading, p, cited) : englishParagraph(heading, p, cited)).append("\n\n");
      }
    }
    return md.toString().strip() + "\n";
  }

  private static String englishParagraph(String heading, int p, String cited) {
    return switch (p) {
      case 1 -> "On " + heading.toLowerCase() + ", the recent literature converges on a few ideas" + cited
          + ". The methods differ in detail, but they share the aim of doing more with the same compute and data.";
      case 2 -> "The evaluations reported so far are encouraging" + cited + ": gains hold across several benchmarks, "
          + "although most of them are measured on curated data and short time horizons.";
      case 3 -> "Several groups release code and data with their papers, which makes the claims easier to check; "
          + "where they do not, the reported numbers deserve more caution, and independent replications are still rare.";
      default -> "What remains open is how these results behave in production: cost, failure modes and the effort "
          + "needed to reproduce them are the questions the next papers will have to answer.";
    };
  }

  private static String chineseParagraph(String heading, int p, String cited) {
    return switch (p) {
      case 1 -> "关于“" + heading + "”，近期文献逐渐形成了几条共识" + cited
          + "。各方法在细节上有所不同，但目标一致：在相同的算力和数据条件下完成更多任务，并让结果更加稳定可靠。"
          + "研究者普遍从问题定义、方法设计和评测方式三个层面展开讨论，力求把零散的经验总结为可复用的方法论。"
          + "从时间线上看，这一方向在过去一年中进展尤其迅速，新的基准和开源实现不断涌现，推动了方法之间更公平、更透明的比较。";
      case 2 -> "目前报告的评测结果令人鼓舞" + cited + "：多个基准上的提升都较为一致，"
          + "不过大多数实验仍基于精心整理的数据集和较短的时间跨度，真实场景中的表现还需要更多验证。"
          + "与此同时，不同论文的实验设置并不完全相同，直接比较数字时需要格外谨慎，最好结合消融实验一起阅读。"
          + "此外，部分工作还报告了在多语言和跨领域数据上的结果，这为判断方法的通用性提供了有价值的参考，也揭示了一些尚未解决的短板。";
      case 3 -> "值得注意的是，越来越多的研究团队在发表论文的同时公开代码和数据，这让外界更容易检验其结论；"
          + "而对于没有公开材料的工作，读者在引用其数据时应保持审慎。独立的复现研究目前仍然较少，"
          + "这也是该方向需要社区共同投入的地方。我们建议在评估新方法时，同时关注其计算开销、数据需求和对超参数的敏感程度，"
          + "并尽量在与自身业务相近的数据上重新测量，而不是只依赖论文中报告的最好结果。";
      default -> "仍待回答的问题在于这些成果在生产环境中的表现：成本、失败模式以及复现所需的投入，"
          + "都是后续研究必须面对的课题。对于准备落地的团队，建议先在小规模场景中验证关键假设，再逐步扩大应用范围，"
          + "并持续记录模型的异常行为，以便及时调整方案，避免把实验室中的结论直接套用到复杂多变的真实业务之中。";
    };
  }

  private static String find(Pattern pattern, String text, String fallback) {
    Matcher m = pattern.matcher(text);
    return m.find() ? m.group(1).strip() : fallback;
  }
}
