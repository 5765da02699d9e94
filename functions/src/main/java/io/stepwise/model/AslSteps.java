package io.stepwise.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a pipeline's steps from its ASL: the Task states in {@code Next} order from the {@code Route} Choice's
 * {@code Default}, passing over any other state type in between (a Wait, a Pass). Task states reached only
 * through a Catch ({@code RecordFailure}) are not steps. The streaming parser keeps this off the cold-start
 * path of a data-binding library.
 */
public final class AslSteps {

  private AslSteps() {}

  /** The steps of the ASL at this classpath resource. */
  public static List<Step> read(String resource) {
    try (InputStream in = AslSteps.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("ASL resource " + resource + " is not on the class path");
      }
      return steps(resource, readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ASL " + resource, e);
    }
  }

  @SuppressWarnings("unchecked")
  static List<Step> steps(String resource, Object tree) {
    Map<String, Object> root = (Map<String, Object>) tree;
    Map<String, Object> states = (Map<String, Object>) root.get("States");
    Map<String, Object> route = (Map<String, Object>) states.get(String.valueOf(root.get("StartAt")));
    if (route == null || !"Choice".equals(route.get("Type")) || route.get("Default") == null) {
      throw new IllegalStateException(resource + ": StartAt must name a Choice state (Route) with a Default");
    }
    List<Step> steps = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String name = (String) route.get("Default");
    while (name != null && seen.add(name)) {
      Map<String, Object> state = (Map<String, Object>) states.get(name);
      if (state == null) {
        throw new IllegalStateException(resource + ": Next names a missing state " + name);
      }
      if ("Task".equals(state.get("Type"))) {
        steps.add(new Step(Step.wireName(name), name, steps.size()));
      }
      name = (String) state.get("Next");
    }
    return steps;
  }

  /** Each step's {@code Retry} entries, by the step's wire name, from the ASL at this classpath resource. */
  public static Map<String, List<Retrier>> retriers(String resource) {
    try (InputStream in = AslSteps.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("ASL resource " + resource + " is not on the class path");
      }
      return retriers(readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ASL " + resource, e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, List<Retrier>> retriers(Object tree) {
    Map<String, Object> states = (Map<String, Object>) ((Map<String, Object>) tree).get("States");
    Map<String, List<Retrier>> byStep = new LinkedHashMap<>();
    states.forEach((name, value) -> {
      Map<String, Object> state = (Map<String, Object>) value;
      if ("Task".equals(state.get("Type")) && state.get("Retry") instanceof List<?> retry) {
        List<Retrier> entries = new ArrayList<>();
        for (Object o : retry) {
          Map<String, Object> r = (Map<String, Object>) o;
          entries.add(new Retrier(
              (List<String>) r.getOrDefault("ErrorEquals", List.of()),
              number(r.get("IntervalSeconds"), 1),
              (int) number(r.get("MaxAttempts"), 3),
              number(r.get("BackoffRate"), 2),
              r.get("MaxDelaySeconds") == null ? null : (long) number(r.get("MaxDelaySeconds"), 0)));
        }
        entries.addAll(waitRoutes(states, state));
        byStep.put(Step.wireName(name), List.copyOf(entries));
      }
    });
    return byStep;
  }

  /**
   * The state's rate-limit wait routes: a {@code Catch} whose target counts the wait (a Pass) and then bounds
   * it (a Choice whose first rule is {@code NumericGreaterThan} the most waits) before waiting and coming back.
   * Step Functions tries the Retry entries first, so these come after them.
   */
  @SuppressWarnings("unchecked")
  private static List<Retrier> waitRoutes(Map<String, Object> states, Map<String, Object> state) {
    List<Retrier> routes = new ArrayList<>();
    if (state.get("Catch") instanceof List<?> catches) {
      for (Object o : catches) {
        Map<String, Object> c = (Map<String, Object>) o;
        Map<String, Object> count = (Map<String, Object>) states.get(String.valueOf(c.get("Next")));
        Map<String, Object> bound = count == null || !"Pass".equals(count.get("Type")) ? null
            : (Map<String, Object>) states.get(String.valueOf(count.get("Next")));
        if (bound != null && "Choice".equals(bound.get("Type")) && bound.get("Choices") instanceof List<?> rules
            && !rules.isEmpty() && ((Map<String, Object>) rules.get(0)).get("NumericGreaterThan") instanceof Number most) {
          routes.add(Retrier.waitRoute((List<String>) c.getOrDefault("ErrorEquals", List.of()), most.intValue()));
        }
      }
    }
    return routes;
  }

  /** A number of the ASL, or the spec's default when the field is absent. */
  private static double number(Object value, double absent) {
    return value instanceof Number n ? n.doubleValue() : absent;
  }

  static Object readTree(InputStream in) throws IOException {
    try (JsonParser parser = new JsonFactory().createParser(in)) {
      parser.nextToken();
      return value(parser);
    }
  }

  private static Object value(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      Map<String, Object> m = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        p.nextToken();
        m.put(key, value(p));
      }
      return m;
    }
    if (t == JsonToken.START_ARRAY) {
      List<Object> l = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        l.add(value(p));
      }
      return l;
    }
    return t == JsonToken.VALUE_STRING ? p.getText() : t.isNumeric() ? p.getNumberValue() : t.isBoolean() ? p.getBooleanValue() : null;
  }
}
