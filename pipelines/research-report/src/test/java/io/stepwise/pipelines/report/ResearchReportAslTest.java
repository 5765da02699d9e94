package io.stepwise.pipelines.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepwise.catalog.Handlers;
import io.stepwise.model.Pipelines;
import io.stepwise.model.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code pipelines/research-report.asl.json} keeps every convention of {@code statemachine.asl.json} (which
 * StateMachineDefinitionTest checks rule by rule): the same Route shape, and each step Task the same as the
 * digest's step in the same position but for its function and wire name (Payload, ResultSelector, ResultPath,
 * Retry, Catch), the same rate-limit wait route (Pass, Choice, Wait) after each step, the same RecordFailure and
 * Failed states. A change to the digest's retry policy therefore
 * fails here until it is ported to the report too.
 */
class ResearchReportAslTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

  private static String reportText;
  private static JsonNode report;
  private static JsonNode digest;

  @BeforeAll
  static void load() throws IOException {
    reportText = Files.readString(root().resolve("pipelines/research-report/research-report.asl.json"));
    report = JSON.readTree(reportText);
    digest = JSON.readTree(Files.readString(root().resolve("statemachine.asl.json")));
  }

  private static Path root() {
    return Path.of("..", "..");
  }

  private static List<Step> steps(String pipeline) {
    return Pipelines.installed().get(pipeline).steps();
  }

  @Test
  void theSteps_arePlanGatherWriteSectionsWriteReportDeliver_routedByWireName() {
    assertThat(steps(ResearchReport.NAME)).extracting(Step::name)
        .containsExactly("plan", "gather", "write_sections", "write_report", "deliver");
    JsonNode route = report.path("States").path("Route");
    assertThat(route.path("Type").asText()).isEqualTo("Choice");
    assertThat(route.path("Default").asText()).isEqualTo("Plan");
    for (JsonNode choice : route.path("Choices")) {
      assertThat(choice.path("Variable").asText()).isEqualTo("$.startAt");
      assertThat(Step.wireName(choice.path("Next").asText())).isEqualTo(choice.path("StringEquals").asText());
    }
    assertThat(route.path("Choices")).hasSize(4);
  }

  @Test
  void eachStepTask_isTheDigestsTaskInTheSamePosition_butForItsFunctionAndWireName() {
    List<Step> ours = steps(ResearchReport.NAME);
    List<Step> theirs = steps("paper-digest");
    assertThat(ours).hasSameSizeAs(theirs);
    for (int i = 0; i < ours.size(); i++) {
      ObjectNode mine = comparable(report.path("States").path(ours.get(i).state()), ours.get(i).state());
      ObjectNode digests = comparable(digest.path("States").path(theirs.get(i).state()), theirs.get(i).state());
      assertThat(mine).as("state %s against the digest's %s", ours.get(i).state(), theirs.get(i).state()).isEqualTo(digests);
      JsonNode payload = report.path("States").path(ours.get(i).state()).path("Parameters");
      assertThat(payload.path("Payload").path("step").asText()).isEqualTo(ours.get(i).name());
      assertThat(payload.path("FunctionName").asText()).isEqualTo("${" + ours.get(i).state() + "FunctionArn}");
    }
    assertThat(report.path("States").path(ours.get(ours.size() - 1).state()).path("End").asBoolean()).isTrue();
  }

  @Test
  void eachStepsRateLimitWaitRoute_isTheDigestsInTheSamePosition_butForItsNames() {
    List<Step> ours = steps(ResearchReport.NAME);
    List<Step> theirs = steps("paper-digest");
    for (int i = 0; i < ours.size(); i++) {
      for (String suffix : List.of("RateLimited", "RateLimitBudget", "WaitRateLimit")) {
        String mine = report.path("States").path(ours.get(i).state() + suffix).toString();
        String digests = digest.path("States").path(theirs.get(i).state() + suffix).toString()
            .replace(theirs.get(i).state(), ours.get(i).state())
            .replace("'" + theirs.get(i).name() + "'", "'" + ours.get(i).name() + "'")
            .replace("rateLimitWaits." + theirs.get(i).name(), "rateLimitWaits." + ours.get(i).name());
        assertThat(digests).as("the digest's %s%s", theirs.get(i).state(), suffix).contains("\"Type\"");
        assertThat(mine).as("state %s%s", ours.get(i).state(), suffix).isEqualTo(digests);
      }
    }
  }

  @Test
  void recordFailureAndFailed_areTheDigests() {
    for (String state : List.of("RecordFailure", "Failed")) {
      assertThat(report.path("States").path(state)).as(state).isEqualTo(digest.path("States").path(state));
    }
  }

  @Test
  void everyPlaceholder_isOneTheStackAndTheLocalRuntimeSubstitute() {
    Set<String> used = new TreeSet<>();
    Matcher m = PLACEHOLDER.matcher(reportText);
    while (m.find()) {
      used.add(m.group(1));
    }
    assertThat(used).isEqualTo(Handlers.installed().invokedBy(ResearchReport.NAME).stream()
        .map(h -> h.placeholder().orElseThrow()).collect(Collectors.toCollection(TreeSet::new)));
  }

  /**
   * A step Task without what differs by design: its function, wire name, comment, timeout and successor; the
   * states its Catch goes to named after the step as {@code <step>RateLimited}.
   */
  private static ObjectNode comparable(JsonNode task, String state) {
    ObjectNode copy = task.deepCopy();
    for (JsonNode c : copy.path("Catch")) {
      String next = c.path("Next").asText();
      if (next.startsWith(state)) {
        ((ObjectNode) c).put("Next", "<step>" + next.substring(state.length()));
      }
    }
    copy.remove(List.of("Comment", "TimeoutSeconds", "Next", "End"));
    ObjectNode parameters = (ObjectNode) copy.path("Parameters");
    parameters.remove("FunctionName");
    ((ObjectNode) parameters.path("Payload")).remove("step");
    return copy;
  }
}
