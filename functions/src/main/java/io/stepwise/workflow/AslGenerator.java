package io.stepwise.workflow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import io.stepwise.model.Pipeline;
import io.stepwise.model.Retrier;
import io.stepwise.model.RetryPolicy;
import io.stepwise.model.Step;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A pipeline's workflow in Amazon States Language, generated from its definition and retry
 * policies, so that every pipeline follows one set of rules (docs/architecture.md, "The workflow"):
 *
 * <ul>
 *   <li>{@code Route}, a Choice on {@code $.startAt}, jumps to the step a retry starts at (default:
 *       the first);
 *   <li>each step is a Task on {@code arn:aws:states:::lambda:invoke} whose input is only ids (the
 *       data lives in checkpoints), with the step's {@code Retry} list ({@link Retrier#forStep})
 *       and two Catches: a rate limit goes to the step's wait route, a terminal error to {@code
 *       RecordFailure};
 *   <li>the wait route counts the wait ({@code <State>RateLimited}, a JSONata Pass) and waits as
 *       long as the provider asked ({@code <State>WaitRateLimit}) before the step runs again. The
 *       step runtime enforces the wait budget: once the step has waited its policy's {@code
 *       rateLimitWaits} times in one execution, a further rate limit fails the execution at the
 *       step's own state (error {@code RateLimitBudgetSpentException}), so a console redrive
 *       re-runs that step;
 *   <li>retryable errors that outlast their retries are not caught, for the same reason;
 *   <li>{@code RecordFailure} records a terminal error on the task, then {@code Failed} fails with
 *       the step's error.
 * </ul>
 *
 * The output is deterministic (the same definition and policies give the same bytes): it is
 * committed beside the pipeline and a test compares the two.
 */
public final class AslGenerator {

  /** The command that rewrites every committed workflow file from its definition. */
  public static final String REFRESH_COMMAND =
      "./mvnw -q -B -pl bundle -am verify -DskipITs -Dtest=WorkflowFilesTest -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Dstepwise.workflows.refresh=true";

  public static final String RECORD_FAILURE = "RecordFailure";
  public static final String FAILED = "Failed";

  private AslGenerator() {}

  /** The ASL of {@code pipeline} as JSON text (two-space indent, a final newline). */
  public static String generate(Pipeline pipeline, String definitionClass) {
    return write(tree(pipeline, definitionClass));
  }

  /** The ASL of {@code pipeline} as ordered maps and lists. */
  public static Map<String, Object> tree(Pipeline pipeline, String definitionClass) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put(
        "Comment",
        "Stepwise pipeline "
            + pipeline.name()
            + ": "
            + pipeline.steps().stream().map(Step::name).collect(Collectors.joining(" -> "))
            + ". Input {taskId, runId, startAt, rateLimitWaits, review}. Retryable errors that run out are not caught, so a"
            + " console redrive re-runs the failed step. Generated from "
            + definitionClass
            + " by AslGenerator: do not"
            + " edit; refresh with "
            + REFRESH_COMMAND);
    root.put("StartAt", "Route");
    Map<String, Object> states = new LinkedHashMap<>();
    states.put("Route", route(pipeline));
    List<Step> steps = pipeline.steps();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      Step next = i + 1 < steps.size() ? steps.get(i + 1) : null;
      if (step.isReview()) {
        states.put(REVIEW_WANTED, reviewWanted(step, next));
        states.put(step.state(), review(step, next));
        continue;
      }
      states.put(step.state(), task(pipeline, step, next));
      states.put(step.state() + "RateLimited", countWait(step));
      states.put(
          step.state() + "WaitRateLimit",
          obj(
              "Type", "Wait",
              "Comment", "As long as the provider asked, then the step again.",
              "SecondsPath", "$.rateLimitDelaySeconds",
              "Next", step.state()));
    }
    states.put(RECORD_FAILURE, recordFailure());
    states.put(
        FAILED,
        obj(
            "Type", "Fail",
            "Comment", "The step's own error name and cause.",
            "ErrorPath", "$.failure.Error",
            "CausePath", "$.failure.Cause"));
    root.put("States", states);
    return root;
  }

  private static Map<String, Object> route(Pipeline pipeline) {
    List<Object> choices = new ArrayList<>();
    for (Step step : pipeline.steps().subList(1, pipeline.steps().size())) {
      choices.add(obj("Variable", "$.startAt", "StringEquals", step.name(), "Next", step.state()));
    }
    Map<String, Object> route =
        obj(
            "Type",
            "Choice",
            "Comment",
            "Jump to the step a retry starts at; a new task starts at "
                + pipeline.first().state()
                + ".");
    if (!choices.isEmpty()) {
      route.put("Choices", choices);
    } else {
      // A Choice needs one rule: a one-step pipeline routes every start to its only step.
      route.put(
          "Choices",
          List.of(
              obj("Variable", "$.startAt", "IsPresent", true, "Next", pipeline.first().state())));
    }
    route.put("Default", pipeline.first().state());
    return route;
  }

  private static Map<String, Object> task(Pipeline pipeline, Step step, Step next) {
    Map<String, Object> payload =
        obj(
            "taskId.$", "$.taskId",
            "runId.$", "$.runId",
            "step", step.name(),
            "retryCount.$", "$$.State.RetryCount",
            "redriveCount.$", "$$.Execution.RedriveCount",
            "executionArn.$", "$$.Execution.Id",
            "rateLimitWaits.$", "$.rateLimitWaits");
    Map<String, Object> task =
        obj(
            "Type",
            "Task",
            "Comment",
            "Step " + step.name() + ": data lives in checkpoints, the state carries only ids.",
            "Resource",
            "arn:aws:states:::lambda:invoke",
            "Parameters",
            obj("FunctionName", "${" + step.state() + "FunctionArn}", "Payload", payload),
            "ResultSelector",
            obj(
                "step.$",
                "$.Payload.step",
                "status.$",
                "$.Payload.status",
                "reused.$",
                "$.Payload.reused"),
            "ResultPath",
            "$.last",
            "TimeoutSeconds",
            step.timeoutSeconds());
    List<Object> retry = new ArrayList<>();
    for (Retrier r : pipeline.retriers(step)) {
      if (!r.delayFromError()) {
        retry.add(retrier(r));
      }
    }
    task.put("Retry", retry);
    task.put(
        "Catch",
        List.of(
            obj(
                "ErrorEquals",
                List.of(Retrier.RATE_LIMITED),
                "ResultPath",
                "$.failure",
                "Next",
                step.state() + "RateLimited"),
            obj(
                "ErrorEquals",
                List.of(Retrier.TERMINAL),
                "ResultPath",
                "$.failure",
                "Next",
                RECORD_FAILURE)));
    if (next == null) {
      task.put("End", true);
    } else {
      task.put("Next", next.isReview() ? REVIEW_WANTED : next.state());
    }
    return task;
  }

  /** The Choice before the review step: a task without review goes straight on. */
  public static final String REVIEW_WANTED = "ReviewWanted";

  private static Map<String, Object> reviewWanted(Step review, Step next) {
    return obj(
        "Type",
        "Choice",
        "Comment",
        "A task with review (input field review: true) waits for a person's decision on "
            + review.reviews()
            + "'s output; any other goes on.",
        "Choices",
        List.of(
            obj(
                "And",
                List.of(
                    obj("Variable", "$.review", "IsPresent", true),
                    obj("Variable", "$.review", "BooleanEquals", true)),
                "Next",
                review.state())),
        "Default",
        next.state());
  }

  /**
   * The review step: the review function records the task token on the task and notifies; the state
   * waits until the API answers the token (approve: SendTaskSuccess; reject: SendTaskFailure with
   * {@code Stepwise.ReviewRejected}, which ends the execution) or the review expires ({@code
   * States.Timeout}, recorded as the task's failure at the review).
   */
  private static Map<String, Object> review(Step review, Step next) {
    Map<String, Object> payload =
        obj(
            "taskId.$", "$.taskId",
            "runId.$", "$.runId",
            "step", review.name(),
            "reviews", review.reviews(),
            "token.$", "$$.Task.Token",
            "redriveCount.$", "$$.Execution.RedriveCount",
            "executionArn.$", "$$.Execution.Id");
    return obj(
        "Type",
        "Task",
        "Comment",
        "Review of "
            + review.reviews()
            + ": waits for a person's decision (POST /api/tasks/{id}/review) for at most TimeoutSeconds.",
        "Resource",
        "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters",
        obj("FunctionName", "${" + review.state() + "FunctionArn}", "Payload", payload),
        "ResultPath",
        "$.last",
        "TimeoutSeconds",
        review.timeoutSeconds(),
        "Retry",
        List.of(
            retrier(
                new Retrier(
                    append(Retrier.LAMBDA_SERVICE_ERRORS, Retrier.TRANSIENT),
                    2,
                    6,
                    2,
                    60L,
                    RetryPolicy.Jitter.FULL,
                    false))),
        "Catch",
        List.of(
            obj(
                "ErrorEquals",
                List.of("States.Timeout", Retrier.TERMINAL),
                "ResultPath",
                "$.failure",
                "Next",
                RECORD_FAILURE)),
        "Next",
        next.state());
  }

  private static Map<String, Object> retrier(Retrier r) {
    Map<String, Object> entry =
        obj(
            "ErrorEquals", r.errorEquals(),
            "IntervalSeconds", whole(r.intervalSeconds()),
            "MaxAttempts", r.maxAttempts(),
            "BackoffRate", whole(r.backoffRate()));
    if (r.maxDelaySeconds() != null) {
      entry.put("MaxDelaySeconds", r.maxDelaySeconds());
    }
    if (r.jitter() != null) {
      entry.put("JitterStrategy", r.jitter().name());
    }
    return entry;
  }

  /** A whole number as an integer (ASL's IntervalSeconds must be one), any other as it is. */
  private static Number whole(double value) {
    return value == Math.rint(value) ? (Number) (long) value : (Number) value;
  }

  private static Map<String, Object> countWait(Step step) {
    String name = step.name();
    String waits = "$lookup($states.input.rateLimitWaits, '" + name + "')";
    return obj(
        "Type", "Pass",
        "Comment",
            "Rate limited for longer than a step waits inside its invocation: count the wait and take the"
                + " delay the provider asked for from the error's message ('retry after N s'; 60 s when it named none).",
        "QueryLanguage", "JSONata",
        "Output",
            "{% $merge([$states.input, {'rateLimitDelaySeconds': ($m := $match($states.input.failure.Cause,"
                + " /retry after ([0-9]+) s/); $m ? $number($m[0].groups[0]) : 60), 'rateLimitWaits':"
                + " $merge([$states.input.rateLimitWaits, {'"
                + name
                + "': ($exists("
                + waits
                + ") ? "
                + waits
                + " : 0) + 1}])}]) %}",
        "Next", step.state() + "WaitRateLimit");
  }

  private static Map<String, Object> recordFailure() {
    return obj(
        "Type",
        "Task",
        "Comment",
        "Terminal error: record it on the task, then fail the execution with the step's error.",
        "Resource",
        "arn:aws:states:::lambda:invoke",
        "Parameters",
        obj(
            "FunctionName",
            "${" + RECORD_FAILURE + "FunctionArn}",
            "Payload",
            obj(
                "taskId.$", "$.taskId",
                "runId.$", "$.runId",
                "executionArn.$", "$$.Execution.Id",
                "error.$", "$.failure.Error",
                "cause.$", "$.failure.Cause",
                "redriveCount.$", "$$.Execution.RedriveCount")),
        "ResultPath",
        null,
        "TimeoutSeconds",
        60,
        "Retry",
        List.of(
            retrier(
                new Retrier(
                    append(Retrier.LAMBDA_SERVICE_ERRORS, Retrier.TRANSIENT),
                    2,
                    6,
                    2,
                    60L,
                    RetryPolicy.Jitter.FULL,
                    false))),
        "Catch",
        List.of(
            obj(
                "ErrorEquals",
                List.of("States.ALL"),
                "ResultPath",
                "$.recordFailureError",
                "Next",
                FAILED)),
        "Next",
        FAILED);
  }

  private static List<String> append(List<String> list, String more) {
    List<String> all = new ArrayList<>(list);
    all.add(more);
    return all;
  }

  /** An ordered map of alternating keys and values. */
  private static Map<String, Object> obj(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  static String write(Object tree) {
    try {
      StringWriter out = new StringWriter();
      DefaultPrettyPrinter pretty =
          new DefaultPrettyPrinter(
                  Separators.createDefaultInstance()
                      .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
              .withObjectIndenter(new DefaultIndenter("  ", "\n"))
              .withArrayIndenter(new DefaultIndenter("  ", "\n"));
      try (JsonGenerator g = new JsonFactory().createGenerator(out).setPrettyPrinter(pretty)) {
        value(g, tree);
      }
      return out + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static void value(JsonGenerator g, Object v) throws IOException {
    if (v instanceof Map<?, ?> map) {
      g.writeStartObject();
      for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
        g.writeFieldName(e.getKey());
        value(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List<?> list) {
      g.writeStartArray();
      for (Object o : list) {
        value(g, o);
      }
      g.writeEndArray();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Long || v instanceof Integer) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Number n) {
      g.writeNumber(n.doubleValue());
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v == null) {
      g.writeNull();
    } else {
      throw new IllegalArgumentException("not JSON: " + v.getClass());
    }
  }
}
