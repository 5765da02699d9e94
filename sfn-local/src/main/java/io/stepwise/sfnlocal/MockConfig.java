package io.stepwise.sfnlocal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * AWS Step Functions Local's mock configuration file: {@code StateMachines.<name>.TestCases.<case>}
 * maps state names to entries of {@code MockedResponses}, each a map from call numbers ({@code
 * "0"}, or a range {@code "1-2"}) to {@code {"Return": <the service response>}} or {@code {"Throw":
 * {"Error", "Cause"}}}. An execution started on {@code <stateMachineArn>#<case>} runs that test
 * case: every call of a mocked state (each retry is a call) takes the next response; states the
 * case does not name call their resource as usual.
 */
public final class MockConfig {

  private final JsonNode config;

  private MockConfig(JsonNode config) {
    this.config = config;
  }

  public static MockConfig parse(String json) {
    JsonNode config;
    try {
      config = Paths.JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("the mock config is not JSON: " + e.getMessage(), e);
    }
    if (config == null
        || !config.path("StateMachines").isObject()
        || !config.path("MockedResponses").isObject()) {
      throw new IllegalArgumentException(
          "a mock config has the objects StateMachines and MockedResponses");
    }
    MockConfig parsed = new MockConfig(config);
    config
        .get("StateMachines")
        .fields()
        .forEachRemaining(
            sm ->
                sm.getValue()
                    .path("TestCases")
                    .fields()
                    .forEachRemaining(
                        tc ->
                            tc.getValue()
                                .fields()
                                .forEachRemaining(
                                    state -> {
                                      if (!config
                                          .get("MockedResponses")
                                          .has(state.getValue().asText())) {
                                        throw new IllegalArgumentException(
                                            "test case "
                                                + sm.getKey()
                                                + "#"
                                                + tc.getKey()
                                                + " names the mocked response '"
                                                + state.getValue().asText()
                                                + "' for state '"
                                                + state.getKey()
                                                + "', which MockedResponses does not define");
                                      }
                                    })));
    return parsed;
  }

  public static MockConfig read(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the mock config " + file, e);
    }
  }

  /** The test case of a state machine (by name), or null when the file has none of that name. */
  TestCase testCase(String stateMachine, String testCase) {
    JsonNode states =
        config.path("StateMachines").path(stateMachine).path("TestCases").get(testCase);
    return states == null ? null : new TestCase(states, config.get("MockedResponses"));
  }

  /** One test case during one execution: counts each state's calls to pick the response. */
  static final class TestCase {
    private final JsonNode states;
    private final JsonNode responses;
    private final Map<String, Integer> calls = new HashMap<>();

    private TestCase(JsonNode states, JsonNode responses) {
      this.states = states;
      this.responses = responses;
    }

    synchronized JsonNode next(String stateName) {
      if (!states.has(stateName)) {
        return null;
      }
      int call = calls.merge(stateName, 1, Integer::sum) - 1;
      JsonNode byCall = responses.get(states.get(stateName).asText());
      Iterator<Map.Entry<String, JsonNode>> entries = byCall.fields();
      while (entries.hasNext()) {
        Map.Entry<String, JsonNode> e = entries.next();
        String[] range = e.getKey().split("-");
        int from = Integer.parseInt(range[0].trim());
        int to = range.length > 1 ? Integer.parseInt(range[1].trim()) : from;
        if (call >= from && call <= to) {
          return e.getValue();
        }
      }
      throw new StatesError(
          "States.Runtime",
          "The mocked response '"
              + states.get(stateName).asText()
              + "' has no entry for call "
              + call
              + " of state '"
              + stateName
              + "'");
    }
  }
}
