package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepwise.fakes.ModelBehaviour;
import io.stepwise.fakes.ModelServer;
import io.stepwise.fakes.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The research report end to end through the local runtime (emulator, DynamoDB Local, the local
 * model server answering plan, section and report prompts in the real protocols): a task succeeds
 * with its sections, citations and files; a report cut by {@code length} is continued and stitched
 * whole; an {@code unknown} stop is retried; a write_report that fails after its retries and is
 * then retried pays for no section again; a finished report is rewritten in English from
 * write_report; a plan that is not JSON is repaired; a webhook delivery is sent once per report.
 * Model calls are counted on the model server, per step, by a phrase of the step's system prompt.
 * The local model server answers from the prompts' content (this pipeline's {@code report.local}
 * answers), so each section is about its planned question and the papers gathered for it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResearchReportIT {

  private static final String PLAN = "You plan research reports";
  private static final String SECTION = "You write one section of a research report";
  private static final String WRITE = "You turn section drafts into one long";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private LocalRuntime runtime;
  private WebhookReceiver webhook;

  @BeforeAll
  void start() {
    webhook = WebhookReceiver.start(0);
    // Backoff after an unknown stop in milliseconds (it is real time, not the emulator's scaled
    // waits).
    runtime =
        LocalRuntime.start(
            Options.ephemeral(0.01),
            Map.of(
                "stepwise.pipelines.research-report.backoff-base",
                "5ms",
                "stepwise.pipelines.research-report.backoff-max",
                "20ms",
                "stepwise.pipelines.research-report.backup",
                "local-claude",
                "stepwise.publish.webhook.url",
                webhook.url()));
  }

  @AfterAll
  void stop() {
    runtime.close();
    webhook.close();
  }

  @AfterEach
  void healthyModels() {
    runtime.models().reset();
  }

  private JsonNode send(String method, String path, String body) throws Exception {
    return LocalApi.send(runtime.api(), method, path, body);
  }

  private String create(String body) throws Exception {
    return send("POST", "/api/tasks", "{\"pipeline\":\"research-report\"," + body.substring(1))
        .path("taskId")
        .asText();
  }

  private int calls(String marker) {
    return runtime.models().callsContaining(marker).size();
  }

  private JsonNode output(String taskId, String step) throws Exception {
    return send("GET", "/api/tasks/" + taskId + "/checkpoint", null)
        .path("steps")
        .path(step)
        .path("output");
  }

  private static JsonNode step(JsonNode task, String name) {
    for (JsonNode s : task.path("steps")) {
      if (s.path("name").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no step " + name + " in " + task);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(runtime.api() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void pipelines_listsTheDigestAndTheReport_withTheReportsStepsAndSchema() throws Exception {
    JsonNode pipelines = send("GET", "/api/pipelines", null);
    List<String> names = new ArrayList<>();
    pipelines.forEach(p -> names.add(p.path("name").asText()));
    assertThat(names).contains("paper-digest", "research-report");
    for (JsonNode p : pipelines) {
      if (p.path("name").asText().equals("research-report")) {
        List<String> steps = new ArrayList<>();
        p.path("steps")
            .forEach(s -> steps.add(s.path("name").asText() + "/" + s.path("state").asText()));
        assertThat(steps)
            .containsExactly(
                "plan/Plan",
                "gather/Gather",
                "write_sections/WriteSections",
                "write_report/WriteReport",
                "review/Review", // a person may read the report before deliver
                "deliver/Deliver");
        assertThat(p.path("review").path("after").asText()).isEqualTo("write_report");
        assertThat(p.path("inputSchema").path("required").toString()).isEqualTo("[\"topic\"]");
        assertThat(
                p.path("inputSchema").path("properties").path("sections").path("maximum").asInt())
            .isEqualTo(6);
      }
    }
  }

  @Test
  void aReportTask_succeeds_withSectionsCitingDeduplicatedPapers_andItsMarkdownAndHtml()
      throws Exception {
    int plans = calls(PLAN);
    int sections = calls(SECTION);
    String id = create("{\"topic\":\"LLM agents\",\"language\":\"en\"}");
    JsonNode task = LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    assertThat(task.path("pipeline").asText()).isEqualTo("research-report");
    assertThat(calls(PLAN) - plans).isEqualTo(1);
    assertThat(calls(SECTION) - sections).as("one call per section (default 4)").isEqualTo(4);

    JsonNode result = send("GET", "/api/tasks/" + id + "/result", null);
    assertThat(result.path("title").asText()).isEqualTo("A survey of LLM agents");
    assertThat(result.path("language").asText()).isEqualTo("en");
    assertThat(result.path("sections")).hasSize(4);
    assertThat(result.path("sections").get(0).path("heading").asText())
        .isEqualTo(output(id, "plan").path("sections").get(0).path("heading").asText())
        .contains("LLM agents");
    assertThat(result.path("sections").get(0).path("citations")).isNotEmpty();
    JsonNode citation = result.path("sections").get(0).path("citations").get(0);
    assertThat(citation.path("n").asInt()).isEqualTo(1);
    assertThat(citation.path("url").asText()).startsWith("http");
    assertThat(result.path("sections").get(0).path("text").asText()).contains("[1]");

    // the first two sections both search "agents": each paper is kept in one section only
    Set<String> ids = new HashSet<>();
    int kept = 0;
    for (JsonNode section : output(id, "gather").path("sections")) {
      for (JsonNode paper : section.path("papers")) {
        ids.add(paper.path("paperId").asText());
        kept++;
      }
    }
    assertThat(kept).isGreaterThan(1).isEqualTo(ids.size());

    HttpResponse<String> markdown = get(result.path("markdownUrl").asText());
    assertThat(markdown.statusCode()).isEqualTo(200);
    assertThat(markdown.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/markdown");
    assertThat(markdown.body())
        .startsWith("# A survey of LLM agents")
        .contains("## References")
        .contains("- [1] ");
    HttpResponse<String> html = get(result.path("htmlUrl").asText());
    assertThat(html.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(html.body())
        .contains("<h1>A survey of LLM agents</h1>")
        .contains("<h2>References</h2>")
        .contains("<title>A survey of LLM agents</title>");
  }

  @Test
  void aReportOnAnyTopic_isAboutIt_eachSectionAnsweringItsQuestionFromItsOwnPapers()
      throws Exception {
    String id =
        create(
            "{\"topic\":\"protein folding with diffusion models\",\"sections\":3,\"language\":\"en\"}");
    LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    JsonNode plan = output(id, "plan").path("sections");
    JsonNode gathered = output(id, "gather").path("sections");
    JsonNode result = send("GET", "/api/tasks/" + id + "/result", null);

    assertThat(result.path("title").asText())
        .isEqualTo("A survey of protein folding with diffusion models");
    assertThat(result.path("sections")).hasSize(3);
    Set<String> texts = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      JsonNode section = result.path("sections").get(i);
      assertThat(section.path("heading").asText())
          .isEqualTo(plan.get(i).path("heading").asText())
          .containsIgnoringCase("protein folding");
      assertThat(section.path("text").asText())
          .as("section %d answers its question", i)
          .contains(plan.get(i).path("question").asText());
      List<Integer> cited = new ArrayList<>();
      section.path("citations").forEach(c -> cited.add(c.path("n").asInt()));
      List<Integer> given = new ArrayList<>();
      for (JsonNode paper : gathered.get(i).path("papers")) {
        given.add(paper.path("n").asInt());
        assertThat(section.path("text").asText())
            .as("section %d tells what its paper found", i)
            .contains("\"" + paper.path("title").asText() + "\"");
      }
      assertThat(cited)
          .as("section %d cites the papers gathered for it, and only those", i)
          .isEqualTo(given);
      texts.add(section.path("text").asText());
    }
    assertThat(texts).as("no two sections say the same").hasSize(3);
    assertThat(gathered.get(0).path("papers").toString())
        .as("the protein paper, found by the topic's own words")
        .contains("Protein Docking");
    assertThat(get(result.path("markdownUrl").asText()).body())
        .contains("- [1] Graph Neural Networks for Protein Docking");
  }

  @Test
  void aLengthStopOnWriteReport_isContinuedAndStitched_intoTheWholeReport() throws Exception {
    String whole = create("{\"topic\":\"long reports\",\"language\":\"en\"}");
    LocalApi.awaitStatus(runtime.api(), whole, "succeeded");
    String expected = output(whole, "write_report").path("markdown").asText();

    runtime.models().cutAnswersToPromptsContaining(WRITE, 3);
    int writes = calls(WRITE);
    String cut = create("{\"topic\":\"long reports\",\"language\":\"en\"}");
    JsonNode task = LocalApi.awaitStatus(runtime.api(), cut, "succeeded");

    assertThat(calls(WRITE) - writes).as("the first part and two continuations").isEqualTo(3);
    assertThat(
            runtime.models().callsContaining("Continue exactly where your previous answer stopped"))
        .hasSize(2);
    assertThat(step(task, "write_report").path("attempts").asInt())
        .as("continued within one invocation")
        .isEqualTo(1);
    assertThat(output(cut, "write_report").path("markdown").asText()).isEqualTo(expected);
    assertThat(output(cut, "write_report").path("modelReason").asText()).isEqualTo("chosen");
  }

  @Test
  void anUnknownStopOnWriteReport_isRetriedAfterABackoff_andTheTaskSucceeds() throws Exception {
    runtime.models().finishPromptsContaining(WRITE, "unknown");
    int writes = calls(WRITE);
    String id = create("{\"topic\":\"flaky providers\",\"language\":\"en\"}");
    JsonNode task = LocalApi.awaitStatus(runtime.api(), id, "succeeded");

    assertThat(calls(WRITE) - writes).as("the unknown stop and its retry").isEqualTo(2);
    assertThat(step(task, "write_report").path("attempts").asInt())
        .as("retried inside the step")
        .isEqualTo(1);
    assertThat(output(id, "write_report").path("chars").asInt()).isGreaterThanOrEqualTo(2000);
  }

  @Test
  void writeReportFailingAfterItsRetries_thenRetried_paysForNoSectionAgain() throws Exception {
    String[] unknowns = new String[200];
    Arrays.fill(unknowns, "unknown");
    runtime.models().finishPromptsContaining(WRITE, unknowns);
    int plans = calls(PLAN);
    int sections = calls(SECTION);
    String id = create("{\"topic\":\"failing reports\",\"sections\":3}");
    JsonNode failed = LocalApi.awaitStatus(runtime.api(), id, "failed");
    assertThat(failed.path("failedStep").asText()).isEqualTo("write_report");
    assertThat(failed.path("error").path("type").asText())
        .isEqualTo("ModelOutputIncompleteException");
    assertThat(step(failed, "write_report").path("attempts").asInt())
        .as("the state machine retried it")
        .isGreaterThan(1);
    assertThat(calls(SECTION) - sections).isEqualTo(3);

    runtime.models().finishPromptsContaining(WRITE); // the provider recovers
    int writes = calls(WRITE);
    send("POST", "/api/tasks/" + id + "/retry", null);
    JsonNode done = LocalApi.awaitStatus(runtime.api(), id, "succeeded");

    assertThat(calls(SECTION) - sections).as("no section paid for twice").isEqualTo(3);
    assertThat(calls(PLAN) - plans).isEqualTo(1);
    assertThat(calls(WRITE) - writes).isEqualTo(1);
    assertThat(step(done, "write_sections").path("executions").asInt()).isEqualTo(1);
    assertThat(send("GET", "/api/tasks/" + id + "/result", null).path("sections")).hasSize(3);
  }

  @Test
  void aFinishedReport_rerunFromWriteReportInEnglish_isRewrittenWithoutNewSections()
      throws Exception {
    String id = create("{\"topic\":\"多智能体系统\",\"language\":\"zh\"}");
    LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    JsonNode chinese = send("GET", "/api/tasks/" + id + "/result", null);
    assertThat(chinese.path("sections").get(0).path("heading").asText()).isEqualTo("多智能体系统：问题与背景");
    assertThat(chinese.path("sections").get(0).path("text").asText())
        .contains("多智能体系统要解决什么问题")
        .contains("[1]");
    int sections = calls(SECTION);
    int plans = calls(PLAN);

    send(
        "POST",
        "/api/tasks/" + id + "/retry/write_report",
        "{\"overrides\":{\"language\":\"en\"}}");
    JsonNode done = LocalApi.awaitStatus(runtime.api(), id, "succeeded");

    assertThat(done.path("input").path("language").asText()).isEqualTo("en");
    assertThat(calls(SECTION)).as("the drafts are reused").isEqualTo(sections);
    assertThat(calls(PLAN)).isEqualTo(plans);
    assertThat(step(done, "plan").path("executions").asInt()).isEqualTo(1);
    assertThat(step(done, "write_report").path("executions").asInt()).isEqualTo(2);
    JsonNode english = send("GET", "/api/tasks/" + id + "/result", null);
    assertThat(english.path("language").asText()).isEqualTo("en");
    assertThat(english.path("sections").get(0).path("heading").asText())
        .isEqualTo("多智能体系统: the problem and why now");
    assertThat(english.path("sections").get(0).path("text").asText())
        .as("the English draft, reused")
        .startsWith("What problem is work on 多智能体系统 trying to solve")
        .contains("[1]");
    assertThat(english.path("markdownUrl").asText())
        .isEqualTo(chinese.path("markdownUrl").asText());
    assertThat(get(english.path("markdownUrl").asText()).body()).contains("## References");
    assertThat(get(chinese.path("htmlUrl").asText()).body()).contains("lang=\"en\"");
  }

  @Test
  void aPlanThatIsNotJson_getsOneRepairRequest_andTheTaskSucceeds() throws Exception {
    // whichever model the router picks answers its first request with prose instead of JSON
    runtime.models().behave("gpt-4o-mini-local", ModelBehaviour.healthy().withMalformedAnswers(1));
    runtime.models().behave("claude-haiku-local", ModelBehaviour.healthy().withMalformedAnswers(1));
    int plans = calls(PLAN);
    String id = create("{\"topic\":\"repaired plans\",\"sections\":3,\"language\":\"en\"}");
    LocalApi.awaitStatus(runtime.api(), id, "succeeded");

    List<ModelServer.Call> planCalls = runtime.models().callsContaining(PLAN);
    assertThat(planCalls.size() - plans).as("the answer and one repair request").isEqualTo(2);
    assertThat(planCalls.get(planCalls.size() - 1).body().toString())
        .contains("Your answer could not be used: the answer is not a JSON object");
    assertThat(output(id, "plan").path("sections")).hasSize(3);
  }

  @Test
  void aWebhookDelivery_isSentOnce_perReport_andARewrittenReportIsANewDelivery() throws Exception {
    int before = webhook.deliveries().size();
    String id =
        create(
            "{\"topic\":\"delivered reports\",\"sections\":3,\"language\":\"en\",\"deliver\":{\"target\":\"webhook\"}}");
    LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    assertThat(webhook.deliveries()).hasSize(before + 1);
    WebhookReceiver.Delivery first = webhook.deliveries().get(before);
    assertThat(first.headers().get("Idempotency-Key")).startsWith(id + ":report:");
    assertThat(first.body())
        .contains("\"title\":\"A survey of delivered reports\"")
        .contains("## References");
    assertThat(output(id, "deliver").path("status").asText()).isEqualTo("delivered");

    send("POST", "/api/tasks/" + id + "/retry/deliver", null);
    LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    assertThat(webhook.deliveries())
        .as("the same report is not delivered twice")
        .hasSize(before + 1);

    send(
        "POST",
        "/api/tasks/" + id + "/retry/write_report",
        "{\"overrides\":{\"language\":\"zh\"}}");
    LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    assertThat(webhook.deliveries()).hasSize(before + 2);
    assertThat(webhook.deliveries().get(before + 1).headers().get("Idempotency-Key"))
        .startsWith(id + ":report:")
        .isNotEqualTo(first.headers().get("Idempotency-Key"));
  }
}
