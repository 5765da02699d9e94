package io.stepwise.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pipeline's ASL as its definition generates it (and the repository commits it: {@code
 * statemachine.asl.json}, {@code pipelines/<name>/<name>.asl.json}). The stack deploys the text
 * unchanged (inline, through {@code DefinitionBody.fromString}) and lets Step Functions substitute
 * the {@code ${...}} placeholders, so the deployed workflow is exactly the one the local emulator
 * runs.
 */
public final class WorkflowDefinition {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

  private final String text;
  private final JsonNode states;

  private WorkflowDefinition(String text, JsonNode states) {
    this.text = text;
    this.states = states;
  }

  public static WorkflowDefinition fromText(String text) {
    try {
      return new WorkflowDefinition(text, new ObjectMapper().readTree(text).path("States"));
    } catch (IOException e) {
      throw new UncheckedIOException("the workflow definition is not JSON", e);
    }
  }

  /** The file's text, byte for byte. */
  public String text() {
    return text;
  }

  /** The names inside every {@code ${...}} of the text. */
  public Set<String> placeholders() {
    Set<String> names = new TreeSet<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /**
   * The text with every {@code ${name}} replaced by its value; an unknown name is an error, not
   * left as is.
   */
  public String substitute(Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("no value for placeholder ${" + m.group(1) + "}");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A Task state's TimeoutSeconds. */
  public int taskTimeoutSeconds(String stateName) {
    JsonNode timeout = states.path(stateName).path("TimeoutSeconds");
    if (!timeout.isIntegralNumber()) {
      throw new IllegalStateException("state " + stateName + " has no integer TimeoutSeconds");
    }
    return timeout.asInt();
  }
}
