package io.stepwise.pipelines.echo;

import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.stepwise.model.PipelineDefinition;
import io.stepwise.steps.StepBody;
import io.stepwise.steps.StepContext;
import io.stepwise.steps.StepFunction;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.tasks.InvalidInputException;
import io.stepwise.tasks.PipelineInput;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only pipeline of two trivial steps, {@code greet → shout}, registered through {@code
 * META-INF/services} like any pipeline. It exists to prove that a pipeline is data plus step
 * bodies: nothing in the core names it.
 */
public final class Echo implements PipelineDefinition {

  public static final String NAME = "echo";

  /** How often each body ran, so a test can tell a retried step from a reused checkpoint. */
  public static final AtomicInteger GREETS = new AtomicInteger();

  public static final AtomicInteger SHOUTS = new AtomicInteger();

  /** When set, the next shout fails terminally once. */
  public static volatile boolean failNextShout;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String aslFile() {
    return "functions/src/test/resources/pipelines/echo.asl.json";
  }

  @Override
  public List<StepHandler> functions() {
    return List.of(
        new StepHandler("greet", "echo-greet", GreetFunction.class, 512, false),
        new StepHandler("shout", "echo-shout", ShoutFunction.class, 512, false));
  }

  /** The task input: {@code {"name": "..."}} (1–40 characters, default "world"). */
  @Serdeable
  public record Input(String name) {}

  /** A step's output. */
  @Serdeable
  public record Said(String text) {}

  @Singleton
  @Named(NAME)
  public static class Inputs implements PipelineInput {
    private final JsonMapper json;

    public Inputs(JsonMapper json) {
      this.json = json;
    }

    @Override
    public JsonNode parse(JsonNode body, String path) {
      for (Map.Entry<String, JsonNode> field : body.entries()) {
        if (!field.getKey().equals("name")) {
          throw new InvalidInputException(
              "unknown field '" + path + field.getKey() + "'; allowed: name");
        }
      }
      JsonNode name = body.get("name");
      if (name != null
          && (!name.isString()
              || name.getStringValue().isEmpty()
              || name.getStringValue().length() > 40)) {
        throw new InvalidInputException(
            "'" + path + "name' must be a string of 1 to 40 characters");
      }
      try {
        return json.writeValueToTree(new Input(name == null ? "world" : name.getStringValue()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public Map<String, Object> schema() {
      return Map.of(
          "type",
          "object",
          "additionalProperties",
          false,
          "properties",
          Map.of("name", Map.of("type", "string", "minLength", 1, "maxLength", 40)));
    }
  }

  @Singleton
  @Named(NAME + "/greet")
  public static class Greet implements StepBody {
    @Override
    public Object run(StepContext context) {
      GREETS.incrementAndGet();
      return new Said("hello, " + context.input(Input.class).name());
    }
  }

  @Singleton
  @Named(NAME + "/shout")
  public static class Shout implements StepBody {
    @Override
    public Object run(StepContext context) {
      SHOUTS.incrementAndGet();
      if (failNextShout) {
        failNextShout = false;
        throw new TerminalStepException("shout refused once");
      }
      return new Said(context.output("greet", Said.class).text().toUpperCase(Locale.ROOT) + "!");
    }
  }

  /** Lambda handler of {@code greet}. */
  public static class GreetFunction extends StepFunction {
    public GreetFunction() {
      super(NAME, "greet");
    }

    public GreetFunction(ApplicationContext context) {
      super(context, NAME, "greet");
    }
  }

  /** Lambda handler of {@code shout}. */
  public static class ShoutFunction extends StepFunction {
    public ShoutFunction() {
      super(NAME, "shout");
    }

    public ShoutFunction(ApplicationContext context) {
      super(context, NAME, "shout");
    }
  }
}
