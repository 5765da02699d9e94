package io.stepwise.api;

import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.stepwise.model.Pipelines;
import io.stepwise.model.Task;
import io.stepwise.tasks.NewTask;
import io.stepwise.tasks.PipelineInput;
import io.stepwise.usage.Budgets;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a task request body: one JSON object whose optional {@code pipeline} names the pipeline
 * (default {@code stepwise.pipelines.default}) and whose other fields are that pipeline's input,
 * read strictly by the pipeline's {@link PipelineInput}.
 */
@Singleton
public class TaskRequests {

  private final JsonMapper json;
  private final Pipelines pipelines;
  private final BeanContext beans;
  private final String defaultPipeline;
  private final Map<String, BigDecimal> defaultBudgets = new LinkedHashMap<>();
  private final Map<String, Boolean> reviewByDefault = new LinkedHashMap<>();

  public TaskRequests(
      JsonMapper json,
      Pipelines pipelines,
      BeanContext beans,
      Environment properties,
      @Value("${stepwise.pipelines.default}") String defaultPipeline) {
    this.json = json;
    this.pipelines = pipelines;
    this.beans = beans;
    this.defaultPipeline = defaultPipeline;
    for (String name : pipelines.names()) {
      String key = "stepwise.pipelines." + name + ".budget-usd";
      properties
          .getProperty(key, String.class)
          .ifPresent(value -> defaultBudgets.put(name, Budgets.configured(key, value)));
      reviewByDefault.put(
          name, Pipelines.reviewByDefault(k -> properties.getProperty(k, String.class), name));
    }
  }

  /** A whole request body; an empty body is {@code {}}. */
  public NewTask parse(String body) {
    JsonNode root =
        body == null || body.isBlank() ? JsonNode.createObjectNode(Map.of()) : read(body);
    return parse(root, "");
  }

  /** One task object; {@code path} prefixes field names in messages (e.g. {@code tasks[3].}). */
  public NewTask parse(JsonNode root, String path) {
    if (!root.isObject()) {
      throw new BadRequestException(
          (path.isEmpty() ? "request body" : "'" + path.substring(0, path.length() - 1) + "'")
              + " must be a JSON object");
    }
    JsonNode named = root.get("pipeline");
    String pipeline = defaultPipeline;
    if (named != null && !named.isNull()) {
      if (!named.isString() || pipelines.find(named.getStringValue()).isEmpty()) {
        throw new BadRequestException(
            "'" + path + "pipeline' must be one of " + String.join(", ", pipelines.names()));
      }
      pipeline = named.getStringValue();
    }
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    root.entries()
        .forEach(
            e -> {
              if (!e.getKey().equals("pipeline")
                  && !e.getKey().equals(Budgets.FIELD)
                  && !e.getKey().equals(Task.REVIEW_FIELD)) {
                fields.put(e.getKey(), e.getValue());
              }
            });
    JsonNode input = input(pipeline).parse(JsonNode.createObjectNode(fields), path);
    JsonNode budget = root.get(Budgets.FIELD);
    BigDecimal usd =
        budget == null || budget.isNull()
            ? defaultBudgets.get(pipeline) // the pipeline's default, if it has one
            : budget(budget, path);
    boolean review = review(root.get(Task.REVIEW_FIELD), pipeline, path);
    if (usd == null && !review) {
      return new NewTask(pipeline, input);
    }
    Map<String, JsonNode> platform = new LinkedHashMap<>();
    input.entries().forEach(e -> platform.put(e.getKey(), e.getValue()));
    if (usd != null) {
      platform.put(Budgets.FIELD, JsonNode.createNumberNode(usd));
    }
    if (review) {
      // only a reviewed task records the field: one without review stores what it did before
      platform.put(Task.REVIEW_FIELD, JsonNode.createBooleanNode(true));
    }
    return new NewTask(pipeline, JsonNode.createObjectNode(platform));
  }

  /**
   * Whether the task stops for review: its {@code review} field, else the pipeline's default
   * ({@code stepwise.pipelines.<name>.review}); only a pipeline with a review step may have one.
   */
  private boolean review(JsonNode field, String pipeline, String path) {
    if (field == null || field.isNull()) {
      return reviewByDefault.getOrDefault(pipeline, false)
          && pipelines.get(pipeline).review().isPresent();
    }
    if (!field.isBoolean()) {
      throw new BadRequestException("'" + path + "review' must be true or false");
    }
    if (field.getBooleanValue() && pipelines.get(pipeline).review().isEmpty()) {
      throw new BadRequestException(
          "'" + path + "review': pipeline " + pipeline + " has no review step");
    }
    return field.getBooleanValue();
  }

  private static BigDecimal budget(JsonNode budget, String path) {
    try {
      return Budgets.parse(budget, path);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage());
    }
  }

  /** Whether a task of this pipeline that does not say waits for review. */
  public boolean reviewByDefault(String pipeline) {
    return reviewByDefault.getOrDefault(pipeline, false);
  }

  /** The pipeline a body without {@code pipeline} starts ({@code stepwise.pipelines.default}). */
  public String defaultPipeline() {
    return defaultPipeline;
  }

  /** The input reader of a deployed pipeline. */
  public PipelineInput input(String pipeline) {
    return beans.getBean(PipelineInput.class, Qualifiers.byName(pipeline));
  }

  public JsonNode read(String body) {
    try {
      return json.readValue(body, JsonNode.class);
    } catch (IOException e) {
      // StrictInputFilter has already refused malformed bodies with a message of ours; the parser's
      // own
      // message names its internals and stays out of the response.
      throw new BadRequestException("request body is not valid JSON");
    }
  }
}
