package io.stepwise.api;

import io.micronaut.json.tree.JsonNode;
import io.stepwise.model.Ids;
import io.stepwise.model.Pipelines;
import io.stepwise.model.TaskStatus;
import io.stepwise.tasks.RecoveryFilter;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code POST /api/tasks/retry}: {@code {"filter":{status, pipeline, failedStep, errorType,
 * since, until, batchId}, "dryRun":bool}}, every field optional (status defaults to failed, dryRun
 * to false), as strictly as a task body: unknown fields and wrong types are 400s naming the field.
 */
@Singleton
public class RecoveryRequests {

  /** A request read: the filter and whether only to list the matches. */
  public record Request(RecoveryFilter filter, boolean dryRun) {}

  private static final Set<String> FIELDS = Set.of("filter", "dryRun");
  private static final List<String> FILTER_FIELDS =
      List.of("status", "pipeline", "failedStep", "errorType", "since", "until", "batchId");

  private final TaskRequests json;
  private final Pipelines pipelines;

  public RecoveryRequests(TaskRequests json, Pipelines pipelines) {
    this.json = json;
    this.pipelines = pipelines;
  }

  public Request parse(String body) {
    JsonNode root =
        body == null || body.isBlank() ? JsonNode.createObjectNode(Map.of()) : json.read(body);
    if (!root.isObject()) {
      throw new BadRequestException(
          "request body must be a JSON object like {\"filter\":{\"failedStep\":\"analyze\"},\"dryRun\":true}");
    }
    for (Map.Entry<String, JsonNode> field : root.entries()) {
      if (!FIELDS.contains(field.getKey())) {
        throw new BadRequestException(
            "unknown field '" + field.getKey() + "'; allowed: filter, dryRun");
      }
    }
    JsonNode dryRun = root.get("dryRun");
    if (dryRun != null && !dryRun.isBoolean()) {
      throw new BadRequestException("'dryRun' must be true or false");
    }
    JsonNode filter = root.get("filter");
    if (filter == null) {
      filter = JsonNode.createObjectNode(Map.of());
    }
    if (!filter.isObject()) {
      throw new BadRequestException(
          "'filter' must be an object with any of " + String.join(", ", FILTER_FIELDS));
    }
    for (Map.Entry<String, JsonNode> field : filter.entries()) {
      if (!FILTER_FIELDS.contains(field.getKey())) {
        throw new BadRequestException(
            "unknown field 'filter."
                + field.getKey()
                + "'; allowed: "
                + String.join(", ", FILTER_FIELDS));
      }
    }
    String statusText = text(filter, "status");
    TaskStatus status =
        statusText == null
            ? TaskStatus.FAILED
            : TaskStatus.parse(statusText)
                .filter(s -> s == TaskStatus.FAILED || s == TaskStatus.CANCELLED)
                .orElseThrow(
                    () ->
                        new BadRequestException(
                            "'filter.status' must be failed or cancelled: only those tasks can be retried"));
    String pipeline = text(filter, "pipeline");
    if (pipeline != null && !pipelines.names().contains(pipeline)) {
      throw new BadRequestException(
          "unknown pipeline '"
              + pipeline
              + "'; pipelines are "
              + String.join(", ", pipelines.names()));
    }
    String failedStep = text(filter, "failedStep");
    if (failedStep != null) {
      List<String> steps =
          pipeline != null
              ? pipelines.get(pipeline).stepNames()
              : pipelines.all().stream().flatMap(p -> p.stepNames().stream()).distinct().toList();
      if (!steps.contains(failedStep)) {
        throw new BadRequestException(
            "unknown step '"
                + failedStep
                + "' in 'filter.failedStep'; steps are "
                + String.join(", ", steps));
      }
    }
    String errorType = text(filter, "errorType");
    if (errorType != null && (errorType.isEmpty() || errorType.length() > 200)) {
      throw new BadRequestException(
          "'filter.errorType' must be 1 to 200 characters, e.g. RateLimitedException");
    }
    String batchId = text(filter, "batchId");
    if (batchId != null && !Ids.plausible(batchId)) {
      throw new BadRequestException("'filter.batchId' is not a batch id");
    }
    Instant since = instant(filter, "since");
    Instant until = instant(filter, "until");
    if (since != null && until != null && !since.isBefore(until)) {
      throw new BadRequestException("'filter.since' must be before 'filter.until'");
    }
    return new Request(
        new RecoveryFilter(status, pipeline, failedStep, errorType, since, until, batchId),
        dryRun != null && dryRun.getBooleanValue());
  }

  private static String text(JsonNode filter, String name) {
    JsonNode value = filter.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      throw new BadRequestException("'filter." + name + "' must be a string");
    }
    return value.getStringValue();
  }

  private static Instant instant(JsonNode filter, String name) {
    String text = text(filter, name);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new BadRequestException(
          "'filter." + name + "' must be a UTC time like 2026-12-01T09:00:00Z");
    }
  }
}
