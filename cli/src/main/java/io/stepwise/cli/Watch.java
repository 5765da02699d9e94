package io.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows one task until it ends. On a terminal, a frame (the task and a bar per step) redrawn in
 * place; otherwise a plain line each time a step's status or progress (or the task's status)
 * changes; with {@code --json} each new state of the task, as the API sent it, on one line. The
 * exit code says how the task ended.
 */
final class Watch {

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final Api api;
  private final PrintWriter out;
  private final boolean terminal;
  private final boolean json;
  private final Duration interval;

  Watch(Api api, PrintWriter out, boolean terminal, boolean json, Duration interval) {
    this.api = api;
    this.out = out;
    this.terminal = terminal;
    this.json = json;
    this.interval = interval;
  }

  int follow(String taskId) {
    String path = "/api/tasks/" + Api.encode(taskId);
    Map<String, String> seen = new HashMap<>();
    String lastBody = null;
    int drawn = 0;
    while (true) {
      Api.Answer answer = api.get(path);
      JsonNode task = answer.json();
      if (json) {
        if (!answer.body().equals(lastBody)) {
          out.println(answer.body().strip());
        }
        lastBody = answer.body();
      } else if (terminal) {
        drawn = redraw(frame(task), drawn);
      } else {
        plain(task, seen);
      }
      out.flush();
      String status = task.path("status").asText();
      switch (status) {
        case "succeeded":
          return 0;
        case "failed":
          return Stepwise.EXIT_FAILED;
        case "cancelled":
          return Stepwise.EXIT_CANCELLED;
        case "rejected":
          return Stepwise.EXIT_REJECTED;
        default:
          sleep();
      }
    }
  }

  /** Moves the cursor up over the last frame and writes the new one over it, clearing each line. */
  private int redraw(List<String> lines, int drawn) {
    if (drawn > 0) {
      out.print("\033[" + drawn + "F");
    }
    for (String line : lines) {
      out.print("\033[2K" + line + "\n");
    }
    return lines.size();
  }

  static List<String> frame(JsonNode task) {
    List<String> lines = new ArrayList<>();
    lines.add(
        "task "
            + task.path("taskId").asText()
            + "  "
            + task.path("pipeline").asText()
            + "  "
            + task.path("status").asText());
    for (JsonNode s : task.path("steps")) {
      lines.add(
          String.format(
              "  %-16s %s %-10s %-6s %s",
              s.path("name").asText(),
              Render.bar(s, '█', '░'),
              s.path("status").asText(),
              Render.progress(s),
              Render.duration(s)));
    }
    JsonNode error = task.path("error");
    if (error.isObject()) {
      lines.add("  error: " + Render.text(error, "type") + ": " + Render.text(error, "message"));
    }
    return lines;
  }

  private void plain(JsonNode task, Map<String, String> seen) {
    String now = LocalTime.now().format(CLOCK);
    String status = task.path("status").asText();
    boolean ended =
        status.equals("succeeded")
            || status.equals("failed")
            || status.equals("cancelled")
            || status.equals("rejected");
    String taskLine =
        status.equals(seen.put("", status))
            ? null
            : now
                + "  task "
                + task.path("taskId").asText()
                + " "
                + task.path("pipeline").asText()
                + " "
                + status;
    if (taskLine != null && !ended) {
      out.println(taskLine);
    }
    for (JsonNode s : task.path("steps")) {
      String name = s.path("name").asText();
      String state = s.path("status").asText() + " " + Render.progress(s);
      String before = seen.put(name, state);
      if (!state.equals(before)
          && !(before == null && s.path("status").asText().equals("pending"))) {
        String when =
            s.path("status").asText().equals("succeeded") ? Render.duration(s) : Render.progress(s);
        out.println(
            now
                + "  "
                + String.format(
                        "%-16s [%s] %-10s %s",
                        name, Render.bar(s, '#', '.'), s.path("status").asText(), when)
                    .stripTrailing());
      }
    }
    JsonNode error = task.path("error");
    if (error.isObject() && !"shown".equals(seen.put("!error", "shown"))) {
      out.println(
          now
              + "  error: "
              + Render.text(error, "step")
              + " "
              + Render.text(error, "type")
              + ": "
              + Render.text(error, "message"));
    }
    if (taskLine != null && ended) {
      out.println(taskLine); // last, after the steps that got it there
    }
  }

  private void sleep() {
    try {
      Thread.sleep(interval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiProblem(0, "interrupted while watching");
    }
  }
}
