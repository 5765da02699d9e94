package io.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The human forms of the API's answers: short tables, one fact a line. */
final class Render {

  private static final int BAR = 20;

  private Render() {}

  static void task(PrintWriter out, JsonNode t) {
    out.println(
        "task "
            + t.path("taskId").asText()
            + "  "
            + t.path("pipeline").asText()
            + "  "
            + t.path("status").asText());
    out.println(
        "created "
            + t.path("createdAt").asText()
            + "  updated "
            + t.path("updatedAt").asText()
            + "  retries "
            + t.path("retryCount").asInt()
            + (text(t, "batchId") == null ? "" : "  batch " + text(t, "batchId")));
    out.printf(
        "  %-16s %-10s %-9s %-9s %-14s %-11s %s%n",
        "STEP", "STATUS", "ATTEMPTS", "DURATION", "MODEL", "COST", "PROGRESS");
    for (JsonNode s : t.path("steps")) {
      out.printf(
          "  %-16s %-10s %-9s %-9s %-14s %-11s %s%n",
          s.path("name").asText(),
          s.path("status").asText(),
          s.path("attempts").asInt(),
          duration(s),
          or(text(s, "model"), "-"),
          s.path("usage").path("calls").asInt() == 0 ? "-" : usd(s.path("usage").path("costUsd")),
          progress(s));
    }
    JsonNode usage = t.path("usage");
    if (usage.isObject()) {
      out.println(
          "usage: "
              + usage.path("calls").asInt()
              + " calls, "
              + usage.path("inputTokens").asLong()
              + " tokens in, "
              + usage.path("outputTokens").asLong()
              + " out"
              + (usage.path("estimatedCalls").asInt() > 0
                  ? " (" + usage.path("estimatedCalls").asInt() + " estimated)"
                  : "")
              + ", "
              + usd(usage.path("costUsd"))
              + "; saved by reuse "
              + usd(t.path("savedUsd")));
    }
    JsonNode error = t.path("error");
    if (error.isObject()) {
      out.println(
          "error: "
              + or(text(error, "step"), "task")
              + " "
              + or(text(error, "type"), "")
              + ": "
              + or(text(error, "message"), ""));
    }
    JsonNode review = t.path("review");
    if (review.isObject()) {
      out.println(review(review));
    }
    JsonNode runs = t.path("runs");
    List<String> shown = new ArrayList<>();
    runs.forEach(
        r ->
            shown.add(
                r.path("runId").asText()
                    + " from "
                    + r.path("startAt").asText()
                    + " "
                    + r.path("status").asText()
                    + (r.path("redriveCount").asInt() > 0
                        ? " (redriven " + r.path("redriveCount").asInt() + ")"
                        : "")));
    out.println("runs: " + String.join("; ", shown));
    if (t.path("resumable").asBoolean()) {
      out.println("resumable: stepwise retry " + t.path("taskId").asText());
    }
  }

  /**
   * {@code review: build_payload since T, decide by T} while open; once decided, who decided what,
   * when, and the comment.
   */
  static String review(JsonNode r) {
    String line = "review: " + r.path("step").asText() + " since " + r.path("since").asText();
    String decision = text(r, "decision");
    if (decision == null) {
      return line + ", decide by " + r.path("expiresAt").asText();
    }
    return line
        + "; "
        + (decision.equals("approve") ? "approved" : "rejected")
        + (text(r, "decidedBy") == null ? "" : " by " + text(r, "decidedBy"))
        + " at "
        + r.path("decidedAt").asText()
        + (text(r, "comment") == null ? "" : ": " + text(r, "comment"));
  }

  /** The review queue: each task awaiting review, oldest first, with its step and deadline. */
  static void reviews(PrintWriter out, JsonNode page) {
    JsonNode items = page.path("items");
    if (items.isEmpty()) {
      out.println("no tasks await review");
    } else {
      out.printf("%-36s  %-16s %-16s %-24s %s%n", "TASK", "PIPELINE", "STEP", "SINCE", "DECIDE BY");
    }
    for (JsonNode t : items) {
      JsonNode r = t.path("review");
      out.printf(
          "%-36s  %-16s %-16s %-24s %s%n",
          t.path("taskId").asText(),
          t.path("pipeline").asText(),
          or(text(r, "step"), "-"),
          or(text(r, "since"), "-"),
          or(text(r, "expiresAt"), "-"));
    }
    if (text(page, "nextCursor") != null) {
      out.println("more: --cursor " + text(page, "nextCursor"));
    }
  }

  /** USD to a hundredth of a cent, or to six places for the tiny sums of small tasks. */
  static String usd(JsonNode value) {
    double v = value.asDouble();
    return "$" + String.format(Locale.ROOT, v == 0 || v >= 0.01 ? "%.4f" : "%.6f", v);
  }

  static void page(PrintWriter out, JsonNode page) {
    JsonNode items = page.path("items");
    if (items.isEmpty()) {
      out.println("no tasks");
    } else {
      out.printf("%-36s  %-16s %-15s %-16s %s%n", "TASK", "PIPELINE", "STATUS", "STEP", "UPDATED");
    }
    for (JsonNode t : items) {
      JsonNode running = null;
      for (JsonNode s : t.path("steps")) {
        if (s.path("progress").isObject()) {
          running = s;
        }
      }
      String step = or(text(t, "failedStep"), or(text(t, "currentStep"), "-"));
      out.printf(
          "%-36s  %-16s %-15s %-16s %s%s%n",
          t.path("taskId").asText(),
          t.path("pipeline").asText(),
          t.path("status").asText(),
          step,
          t.path("updatedAt").asText(),
          running == null ? "" : "  " + progress(running));
    }
    if (text(page, "nextCursor") != null) {
      out.println("more: --cursor " + text(page, "nextCursor"));
    }
  }

  static void batch(PrintWriter out, JsonNode b) {
    List<String> counts = new ArrayList<>();
    b.path("stats").properties().forEach(e -> counts.add(e.getKey() + " " + e.getValue().asInt()));
    out.println(
        "batch "
            + b.path("batchId").asText()
            + "  "
            + b.path("total").asInt()
            + " tasks: "
            + String.join(", ", counts));
    if (b.has("status")) {
      JsonNode progress = b.path("progress");
      out.println(
          "  "
              + b.path("status").asText()
              + ", at most "
              + b.path("maxRunning").asInt()
              + " running, "
              + progress.path("done").asLong()
              + "/"
              + progress.path("total").asLong()
              + " done ("
              + progress.path("percent").asInt()
              + " %)");
    }
    b.path("taskIds").forEach(id -> out.println("  " + id.asText()));
    for (JsonNode f : b.path("failed")) {
      out.println(
          "  failed "
              + f.path("taskId").asText()
              + " at "
              + or(text(f, "failedStep"), "-")
              + ": "
              + or(text(f, "reason"), "-"));
    }
    for (JsonNode r : b.path("retries")) {
      out.println(
          "  retried "
              + r.path("at").asText()
              + " "
              + r.path("kind").asText()
              + " "
              + (r.hasNonNull("taskId") ? r.path("taskId").asText() : r.path("count").asInt()));
    }
  }

  static void usage(PrintWriter out, JsonNode u) {
    out.println(
        "model usage over "
            + u.path("window").asText()
            + (text(u, "pipeline") == null ? "" : "  pipeline " + text(u, "pipeline")));
    out.printf(
        "  %-16s %-7s %-7s %-10s %-10s %-11s %-9s %-9s %s%n",
        "MODEL", "CALLS", "OK", "TOKENS IN", "OUT", "COST", "P50", "P95", "FAILURES");
    for (JsonNode m : u.path("models")) {
      List<String> failures = new ArrayList<>();
      m.path("failures")
          .fields()
          .forEachRemaining(f -> failures.add(f.getKey() + " " + f.getValue().asLong()));
      JsonNode latency = m.path("latencyMs");
      out.printf(
          "  %-16s %-7s %-7s %-10s %-10s %-11s %-9s %-9s %s%n",
          m.path("name").asText(),
          m.path("calls").asLong(),
          m.path("successes").asLong(),
          m.path("inputTokens").asLong(),
          m.path("outputTokens").asLong(),
          usd(m.path("costUsd")),
          latency.path("p50").isNumber() ? "≤" + latency.path("p50").asLong() + " ms" : "-",
          latency.path("p95").isNumber() ? "≤" + latency.path("p95").asLong() + " ms" : "-",
          failures.isEmpty() ? "-" : String.join(", ", failures));
    }
  }

  static void health(PrintWriter out, JsonNode h) {
    out.println(
        "checked "
            + or(text(h, "checkedAt"), "never")
            + "  every "
            + h.path("intervalSeconds").asInt()
            + " s");
    out.printf(
        "  %-16s %-18s %-16s %-9s %-8s %s%n",
        "MODEL", "PROVIDER", "STATUS", "LATENCY", "SUCCESS", "ERROR");
    for (JsonNode m : h.path("models")) {
      String latency = m.path("latencyMs").isNumber() ? m.path("latencyMs").asLong() + " ms" : "-";
      String success =
          m.path("successRate").isNumber()
              ? Math.round(m.path("successRate").asDouble() * 100) + " %"
              : "-";
      JsonNode error = m.path("error");
      out.printf(
          "  %-16s %-18s %-16s %-9s %-8s %s%n",
          m.path("name").asText(),
          m.path("provider").asText(),
          m.path("status").asText(),
          latency,
          success,
          error.isObject()
              ? or(text(error, "code"), "") + " " + or(text(error, "message"), "")
              : "");
    }
    for (JsonNode n : h.path("notProbed")) {
      out.println(
          "  not probed now: "
              + n.path("name").asText()
              + " was checked at "
              + n.path("lastCheck").asText()
              + ", the next probe may run from "
              + n.path("nextProbeAt").asText());
    }
  }

  /** {@code 2/5} for a step with progress, else nothing. */
  static String progress(JsonNode step) {
    JsonNode p = step.path("progress");
    return p.isObject() ? p.path("done").asInt() + "/" + p.path("total").asInt() : "";
  }

  /**
   * A bar of the step's share done: full once succeeded, by progress while running, empty
   * otherwise.
   */
  static String bar(JsonNode step, char full, char empty) {
    JsonNode p = step.path("progress");
    int filled =
        switch (step.path("status").asText()) {
          case "succeeded" -> BAR;
          case "running", "retrying" ->
              p.isObject() && p.path("total").asInt() > 0
                  ? Math.min(BAR, BAR * p.path("done").asInt() / p.path("total").asInt())
                  : 0;
          default -> 0;
        };
    return String.valueOf(full).repeat(filled) + String.valueOf(empty).repeat(BAR - filled);
  }

  /**
   * The step's duration when finished, the time it has run so far while running, else {@code -}.
   */
  static String duration(JsonNode step) {
    if (step.path("durationMs").isNumber()) {
      return seconds(step.path("durationMs").asLong());
    }
    String started = text(step, "startedAt");
    if (started != null && step.path("status").asText().equals("running")) {
      return seconds(Duration.between(Instant.parse(started), Instant.now()).toMillis());
    }
    return "-";
  }

  static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.1f s", Math.max(0, ms) / 1000.0);
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isValueNode() && !v.isNull() ? v.asText() : null;
  }

  private static String or(String value, String fallback) {
    return value == null ? fallback : value;
  }
}
