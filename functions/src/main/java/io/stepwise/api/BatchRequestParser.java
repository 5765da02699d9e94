package io.stepwise.api;

import io.micronaut.json.tree.JsonNode;
import io.stepwise.tasks.NewTask;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code POST /api/batches}: either {@code {tasks:[<task body>...]}} or {@code {count:n}} (n
 * tasks with the defaults, or with the optional {@code task} body as their common input), and
 * optionally {@code maxRunning} (1 to the cap over all batches). Each task body is read as strictly
 * as {@code POST /api/tasks} reads one, with messages naming {@code tasks[i].field}. Too many tasks
 * is a 413, checked before any task is read.
 */
@Singleton
public class BatchRequestParser {

  private static final Set<String> FIELDS = Set.of("tasks", "count", "task", "maxRunning");

  private final TaskRequests tasks;

  public BatchRequestParser(TaskRequests tasks) {
    this.tasks = tasks;
  }

  /** The tasks of a batch request, and its {@code maxRunning} when it gives one. */
  public record Parsed(List<NewTask> tasks, Integer maxRunning) {}

  public Parsed parse(String body, int maxTasks, int maxRunningCap) {
    if (body == null || body.isBlank()) {
      throw new BadRequestException("request body must be {\"tasks\":[...]} or {\"count\":n}");
    }
    JsonNode root = tasks.read(body);
    if (!root.isObject()) {
      throw new BadRequestException("request body must be a JSON object");
    }
    for (Map.Entry<String, JsonNode> field : root.entries()) {
      if (!FIELDS.contains(field.getKey())) {
        throw new BadRequestException(
            "unknown field '" + field.getKey() + "'; allowed: count, task, tasks, maxRunning");
      }
    }
    JsonNode list = root.get("tasks");
    JsonNode count = root.get("count");
    if ((list == null) == (count == null)) {
      throw new BadRequestException(
          "give exactly one of 'tasks' (an array of task bodies) or 'count'");
    }
    Integer maxRunning = maxRunning(root.get("maxRunning"), maxRunningCap);
    return new Parsed(
        list != null
            ? each(list, root.get("task"), maxTasks)
            : repeated(count, root.get("task"), maxTasks),
        maxRunning);
  }

  private static Integer maxRunning(JsonNode value, int cap) {
    if (value == null) {
      return null;
    }
    Number n = value.isNumber() ? value.getNumberValue() : null;
    boolean whole = n instanceof Integer || n instanceof Long || n instanceof Short;
    if (!whole || n.longValue() < 1 || n.longValue() > cap) {
      throw new BadRequestException("'maxRunning' must be an integer from 1 to " + cap);
    }
    return n.intValue();
  }

  private List<NewTask> each(JsonNode list, JsonNode template, int maxTasks) {
    if (template != null) {
      throw new BadRequestException(
          "'task' goes with 'count'; with 'tasks' give each task its own body");
    }
    if (!list.isArray() || list.size() == 0) {
      throw new BadRequestException("'tasks' must be a non-empty array of task bodies");
    }
    tooMany(list.size(), maxTasks);
    List<NewTask> inputs = new ArrayList<>();
    int i = 0;
    for (JsonNode item : list.values()) {
      inputs.add(tasks.parse(item, "tasks[" + i++ + "]."));
    }
    return List.copyOf(inputs);
  }

  private List<NewTask> repeated(JsonNode count, JsonNode template, int maxTasks) {
    Number n = count.isNumber() ? count.getNumberValue() : null;
    boolean whole = n instanceof Integer || n instanceof Long || n instanceof Short;
    if (!whole || n.longValue() < 1) {
      throw new BadRequestException("'count' must be a positive integer");
    }
    tooMany(n.longValue(), maxTasks);
    NewTask input =
        tasks.parse(template == null ? JsonNode.createObjectNode(Map.of()) : template, "task.");
    return Collections.nCopies(n.intValue(), input);
  }

  private static void tooMany(long n, int maxTasks) {
    if (n > maxTasks) {
      throw new BatchTooLargeException(n, maxTasks);
    }
  }
}
