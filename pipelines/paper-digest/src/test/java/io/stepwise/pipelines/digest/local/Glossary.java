package io.stepwise.pipelines.digest.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Chinese for common terms of AI paper titles, enough for the local model to name a paper's
 * subject in a Chinese post ("Long-Context Reasoning" → 长上下文推理); a word it does not know stays as
 * written, as Chinese tech posts keep English terms.
 */
final class Glossary {

  /** Two-word terms first: they win over their words. */
  private static final Map<String, String> TERMS =
      Map.ofEntries(
          Map.entry("scaling laws", "缩放定律"),
          Map.entry("diffusion models", "扩散模型"),
          Map.entry("reward models", "奖励模型"),
          Map.entry("neural networks", "神经网络"),
          Map.entry("tool use", "工具调用"),
          Map.entry("language models", "语言模型"),
          Map.entry("world simulators", "世界模拟器"),
          Map.entry("reward hacking", "奖励投机"),
          Map.entry("mixture-of-experts", "混合专家"),
          Map.entry("long-context", "长上下文"),
          Map.entry("kv-cache", "KV缓存"),
          Map.entry("in-context", "上下文"),
          Map.entry("fine-tuning", "微调"),
          Map.entry("self-correcting", "自我纠错"),
          Map.entry("agents", "智能体"),
          Map.entry("agent", "智能体"),
          Map.entry("verifiable", "可验证"),
          Map.entry("plans", "规划"),
          Map.entry("planning", "规划"),
          Map.entry("sparse", "稀疏"),
          Map.entry("retrieval", "检索"),
          Map.entry("benchmark", "基准"),
          Map.entry("reasoning", "推理"),
          Map.entry("chinese", "中文"),
          Map.entry("diffusion", "扩散"),
          Map.entry("video", "视频"),
          Map.entry("efficient", "高效"),
          Map.entry("compression", "压缩"),
          Map.entry("serving", "部署"),
          Map.entry("llms", "大模型"),
          Map.entry("llm", "大模型"),
          Map.entry("reward", "奖励"),
          Map.entry("models", "模型"),
          Map.entry("model", "模型"),
          Map.entry("graph", "图"),
          Map.entry("protein", "蛋白质"),
          Map.entry("docking", "对接"),
          Map.entry("folding", "折叠"),
          Map.entry("tool", "工具"),
          Map.entry("demonstrations", "示例"),
          Map.entry("statistical", "统计"),
          Map.entry("estimation", "估计"),
          Map.entry("generated", "生成"),
          Map.entry("study", "研究"),
          Map.entry("learning", "学习"),
          Map.entry("reinforcement", "强化"),
          Map.entry("alignment", "对齐"),
          Map.entry("vision", "视觉"),
          Map.entry("multimodal", "多模态"),
          Map.entry("robots", "机器人"),
          Map.entry("robotics", "机器人"),
          Map.entry("training", "训练"),
          Map.entry("inference", "推理"),
          Map.entry("attention", "注意力"),
          Map.entry("quantization", "量化"),
          Map.entry("safety", "安全"),
          Map.entry("evaluation", "评测"),
          Map.entry("data", "数据"),
          Map.entry("code", "代码"),
          Map.entry("search", "搜索"),
          Map.entry("memory", "记忆"),
          Map.entry("world", "世界"),
          Map.entry("simulators", "模拟器"),
          Map.entry("scaling", "扩展"),
          Map.entry("laws", "定律"),
          Map.entry("experts", "专家"));

  private Glossary() {}

  /**
   * The words in Chinese, term by term; unknown words kept, with a space only between two of them.
   */
  static String chinese(List<String> words) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String two =
          i + 1 < words.size()
              ? TERMS.get((words.get(i) + " " + words.get(i + 1)).toLowerCase(Locale.ROOT))
              : null;
      if (two != null) {
        parts.add(two);
        i++;
      } else {
        parts.add(TERMS.getOrDefault(words.get(i).toLowerCase(Locale.ROOT), words.get(i)));
      }
    }
    StringBuilder out = new StringBuilder();
    for (String part : parts) {
      boolean latinJoin =
          !out.isEmpty()
              && Character.isLetterOrDigit(out.charAt(out.length() - 1))
              && out.codePointBefore(out.length()) < 0x2E80
              && part.codePointAt(0) < 0x2E80;
      out.append(latinJoin ? " " : "").append(part);
    }
    return out.toString();
  }
}
