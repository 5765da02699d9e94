package io.stepwise.pipelines.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.catalog.Handlers;
import io.stepwise.model.Pipelines;
import io.stepwise.model.Step;
import io.stepwise.workflow.AslGenerator;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The research report's workflow as its definition generates it. It shares every rule with the
 * other pipelines because one generator writes them all (AslGeneratorTest checks those rules;
 * WorkflowFilesTest that the committed file is what this generates): here, only what is the
 * report's own.
 */
class ResearchReportAslTest {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

  private final String text =
      AslGenerator.generate(
          Pipelines.installed().get(ResearchReport.NAME), ResearchReport.class.getName());

  @Test
  void
      theSteps_arePlanGatherWriteSectionsWriteReportReviewDeliver_withTheirTimeouts_routedByWireName()
          throws Exception {
    assertThat(Pipelines.installed().get(ResearchReport.NAME).steps())
        .extracting(Step::name, Step::state, Step::timeoutSeconds)
        .containsExactly(
            tuple("plan", "Plan", 120),
            tuple("gather", "Gather", 300),
            tuple("write_sections", "WriteSections", 840),
            tuple("write_report", "WriteReport", 840),
            tuple("review", "Review", 86_400), // a person reads the report before deliver
            tuple("deliver", "Deliver", 300));
    JsonNode states = new ObjectMapper().readTree(text).path("States");
    JsonNode route = states.path("Route");
    assertThat(route.path("Default").asText()).isEqualTo("Plan");
    assertThat(route.path("Choices")).hasSize(5);
    assertThat(states.at("/WriteReport/Next").asText()).isEqualTo("ReviewWanted");
    assertThat(states.at("/ReviewWanted/Default").asText()).isEqualTo("Deliver");
    assertThat(states.at("/Review/Parameters/Payload/reviews").asText()).isEqualTo("write_report");
  }

  @Test
  void everyPlaceholder_isOneTheStackAndTheLocalRuntimeSubstitute() {
    Set<String> used = new TreeSet<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      used.add(m.group(1));
    }
    assertThat(used)
        .isEqualTo(
            Handlers.installed().invokedBy(ResearchReport.NAME).stream()
                .map(h -> h.placeholder().orElseThrow())
                .collect(Collectors.toCollection(TreeSet::new)));
  }
}
