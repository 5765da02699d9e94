package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A task's {@code budgetUsd} through the local runtime: a call whose worst case does not fit is
 * never sent (the local model server sees none) and the step fails terminally naming the budget; a
 * rerun may raise it and then finishes; a budget that is not a positive number of USD is a 400.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BudgetIT {

  private LocalRuntime runtime;

  @BeforeAll
  void start() {
    runtime = LocalRuntime.start(Options.ephemeral(0.001));
  }

  @AfterAll
  void stop() {
    runtime.close();
  }

  private JsonNode send(String method, String path, String body) throws Exception {
    return LocalApi.send(runtime.api(), method, path, body);
  }

  private long chats() {
    return runtime.models().calls().stream().filter(c -> c.body().has("messages")).count();
  }

  @Test
  void aCallTheBudgetCannotCover_isNotSent_andTheStepFailsNamingTheBudget_thenARerunRaisesIt()
      throws Exception {
    long before = chats();
    String id =
        send("POST", "/api/tasks", "{\"maxPapers\":2,\"budgetUsd\":0.00001}")
            .path("taskId")
            .asText();
    JsonNode failed = LocalApi.awaitStatus(runtime.api(), id, "failed");

    assertThat(chats()).as("no model call sent").isEqualTo(before);
    assertThat(failed.path("input").path("budgetUsd").asDouble()).isEqualTo(0.00001);
    assertThat(failed.path("failedStep").asText()).isEqualTo("analyze");
    assertThat(failed.path("error").path("type").asText()).isEqualTo("TerminalStepException");
    assertThat(failed.path("error").path("message").asText())
        .startsWith("BudgetExceeded: a call to local-gpt may cost up to $")
        .contains("spent $0, reserved $")
        .contains("of budgetUsd $0.00001; not sent");
    assertThat(failed.path("usage").path("calls").asInt()).isZero();

    JsonNode lowered =
        LocalApi.refused(
            runtime.api(),
            "POST",
            "/api/tasks/" + id + "/retry/analyze",
            "{\"overrides\":{\"budgetUsd\":0.000001}}");
    assertThat(lowered.path("status").asInt()).isEqualTo(400);

    send("POST", "/api/tasks/" + id + "/retry/analyze", "{\"overrides\":{\"budgetUsd\":0.05}}");
    JsonNode done = LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    assertThat(done.path("input").path("budgetUsd").asDouble()).isEqualTo(0.05);
    assertThat(done.path("usage").path("calls").asInt()).isPositive();
    assertThat(done.path("usage").path("costUsd").asDouble()).isLessThanOrEqualTo(0.05);
  }

  @Test
  void aBudgetThatIsNotAPositiveNumberOfUsd_is400_andStartsNothing() throws Exception {
    for (String budget : new String[] {"\"1\"", "0", "-1", "20000", "true"}) {
      JsonNode problem =
          LocalApi.refused(
              runtime.api(),
              "POST",
              "/api/tasks",
              "{\"maxPapers\":1,\"budgetUsd\":" + budget + "}");
      assertThat(problem.path("status").asInt()).as(budget).isEqualTo(400);
      assertThat(problem.path("detail").asText())
          .isEqualTo("'budgetUsd' must be a number of USD above 0 and at most 10000");
    }
  }
}
