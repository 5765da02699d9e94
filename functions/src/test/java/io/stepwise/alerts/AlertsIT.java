package io.stepwise.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.fakes.Fault;
import io.stepwise.fakes.ModelBehaviour;
import io.stepwise.fakes.WebhookReceiver;
import io.stepwise.health.HealthCheckFunction;
import io.stepwise.health.HealthTestModels;
import io.stepwise.lambda.ClockFactory;
import io.stepwise.model.Task;
import io.stepwise.model.TaskError;
import io.stepwise.model.TaskStatus;
import io.stepwise.tasks.TaskRepository;
import io.stepwise.testing.ApiClient;
import io.stepwise.testing.HealthItems;
import io.stepwise.testing.LocalDynamo;
import io.stepwise.testing.LocalServicesBase;
import io.stepwise.testing.TaskFixtures;
import io.stepwise.testing.TestLambdaContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Each rule tripped and cleared through the {@code alerts} Lambda handler against DynamoDB Local,
 * with a clock the test moves: the transitions land in the state table, {@code GET /api/alerts}
 * (through the api handler) shows them, and the alert webhook receives each one signed as the
 * publish webhook is. Model health goes through the real health-check handler against the local
 * model server.
 */
@MicronautTest(environments = "test")
class AlertsIT extends LocalServicesBase {

  @Inject TaskRepository tasks;
  @Inject TestClock clock;
  @Inject JsonMapper json;

  AlertsFunction function;
  HealthCheckFunction healthCheck;
  ApiClient api;

  /** The one clock of the test's context, moved by the tests. */
  @Singleton
  @Replaces(factory = ClockFactory.class, value = Clock.class)
  @Requires(property = "stepwise.test.alerts-clock", value = "true")
  static class TestClock extends Clock {
    final AtomicReference<Instant> now =
        new AtomicReference<>(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    void advance(Duration d) {
      now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = HealthTestModels.properties(super.getProperties(), models);
    p.put("stepwise.test.alerts-clock", "true");
    p.put("stepwise.health.min-gap", "0s");
    p.put("stepwise.alerts.webhook-url", webhook.url());
    p.put("stepwise.alerts.webhook-secret-env", WEBHOOK_SECRET_ENV);
    return p;
  }

  @BeforeAll
  void handlers() {
    function = new AlertsFunction(context);
    healthCheck = new HealthCheckFunction(context);
    api = new ApiClient(context);
  }

  /** Every rule starts cleared: no tasks, models healthy, windows moved past what went before. */
  @BeforeEach
  void quiet() throws Exception {
    deleteTasks();
    models.reset();
    HealthItems.clear(table, HealthTestModels.NAMES);
    clock.advance(Duration.ofDays(1));
    evaluate();
    webhook.reset();
  }

  // ---- the rules

  @Test
  void failureRate_firesAboveTenPercent_onlyWithFiveTasks_andClearsWhenTheWindowMovesOn()
      throws Exception {
    finished(TaskStatus.FAILED, Duration.ofMinutes(1), Duration.ofMinutes(1));
    for (int i = 0; i < 3; i++) {
      finished(TaskStatus.SUCCEEDED, Duration.ofMinutes(1), Duration.ofMinutes(1));
    }
    assertThat(evaluate().fired()).as("25 % of 4 tasks: too few to judge").isEmpty();

    finished(TaskStatus.SUCCEEDED, Duration.ofMinutes(1), Duration.ofMinutes(1));
    AlertEvaluator.Report fired = evaluate();
    assertThat(fired.fired()).containsExactly("failure-rate");
    JsonNode active = active("failure-rate");
    assertThat(active.get("value").getNumberValue().doubleValue()).isEqualTo(20.0);
    assertThat(active.get("threshold").getNumberValue().doubleValue()).isEqualTo(10.0);

    assertThat(evaluate().fired()).as("still active: no second transition").isEmpty();

    clock.advance(Duration.ofMinutes(15));
    assertThat(evaluate().cleared()).containsExactly("failure-rate");
    assertThat(alerts().get("active").values()).isEmpty();
    assertThat(events("failure-rate")).containsExactly("cleared", "fired");
    assertThat(delivered("failure-rate")).containsExactly("fired", "cleared");
  }

  @Test
  void slowTasks_firesWhenTheAverageDurationIsOverTwoMinutes_andClears() throws Exception {
    finished(TaskStatus.SUCCEEDED, Duration.ofMinutes(2), Duration.ofMinutes(1));
    assertThat(evaluate().active()).as("exactly 2 min is not over").doesNotContain("slow-tasks");

    finished(TaskStatus.SUCCEEDED, Duration.ofMinutes(3), Duration.ofMinutes(1));
    assertThat(evaluate().fired()).containsExactly("slow-tasks");
    assertThat(active("slow-tasks").get("value").getNumberValue().doubleValue())
        .isEqualTo(150_000.0);

    clock.advance(Duration.ofMinutes(16));
    assertThat(evaluate().cleared()).containsExactly("slow-tasks");
    assertThat(delivered("slow-tasks")).containsExactly("fired", "cleared");
  }

  @Test
  void stuckTasks_firesForARunningTaskWithoutProgressForTenMinutes_andClearsOnProgress()
      throws Exception {
    Task running = running(Duration.ofMinutes(5));
    assertThat(evaluate().active()).doesNotContain("stuck-tasks");

    clock.advance(Duration.ofMinutes(6));
    assertThat(evaluate().fired()).containsExactly("stuck-tasks");
    assertThat(active("stuck-tasks").get("value").getNumberValue().doubleValue()).isEqualTo(1.0);

    // the next step starts: the task's last activity is now
    Task progressed =
        running.toBuilder()
            .currentStep("second")
            .updatedAt(clock.instant())
            .version(running.version() + 1)
            .build();
    assertThat(tasks.update(running, progressed)).isPresent();
    assertThat(evaluate().cleared()).containsExactly("stuck-tasks");
    assertThat(delivered("stuck-tasks")).containsExactly("fired", "cleared");
  }

  @Test
  void backlog_firesAboveFiftyPendingTasks_andClears() throws Exception {
    List<Task> pending = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      pending.add(pending());
    }
    assertThat(evaluate().active()).as("50 is not more than 50").doesNotContain("backlog");

    pending.add(pending());
    assertThat(evaluate().fired()).containsExactly("backlog");
    assertThat(active("backlog").get("value").getNumberValue().doubleValue()).isEqualTo(51.0);

    delete(pending.get(0).taskId());
    assertThat(evaluate().cleared()).containsExactly("backlog");
    assertThat(delivered("backlog")).containsExactly("fired", "cleared");
  }

  @Test
  void modelHealth_recordsEveryStatusChange_isActiveWhileAModelIsUnhealthy_andClears()
      throws Exception {
    sweep();
    assertThat(events("model-health")).as("unknown → healthy is no change").isEmpty();

    models.behave("fake-gpt", ModelBehaviour.failing(503));
    sweep(); // degraded
    assertThat(evaluate().active()).as("degraded is not unhealthy").doesNotContain("model-health");
    sweep();
    sweep(); // unhealthy after three failures
    assertThat(evaluate().fired()).containsExactly("model-health");
    assertThat(active("model-health").get("value").getNumberValue().doubleValue()).isEqualTo(1.0);

    models.behave("fake-gpt", ModelBehaviour.healthy());
    sweep();
    assertThat(evaluate().cleared()).containsExactly("model-health");

    List<String> changes = new ArrayList<>();
    for (JsonNode e : alerts().get("history").values()) {
      if (e.get("event").getStringValue().equals("changed")) {
        changes.add(
            e.get("model").getStringValue()
                + ":"
                + e.get("from").getStringValue()
                + "→"
                + e.get("to").getStringValue());
      }
    }
    assertThat(changes)
        .as("newest first")
        .containsExactly(
            "primary:unhealthy→healthy", "primary:degraded→unhealthy", "primary:healthy→degraded");
    assertThat(events("model-health"))
        .containsExactly("cleared", "changed", "fired", "changed", "changed");
    assertThat(delivered("model-health"))
        .containsExactly("changed", "changed", "fired", "changed", "cleared");
  }

  // ---- the webhook, the API, the configuration

  @Test
  void aFailedWebhookDelivery_neverFailsTheEvaluation_andIsSentAtTheNextOne() throws Exception {
    for (int i = 0; i < 51; i++) {
      pending();
    }
    webhook.failNext(Fault.status(503, "down for maintenance"));
    AlertEvaluator.Report first = evaluate();
    assertThat(first.fired()).containsExactly("backlog");
    assertThat(first.sent()).isZero();
    assertThat(webhook.deliveries()).isEmpty();

    AlertEvaluator.Report second = evaluate();
    assertThat(second.sent()).isEqualTo(1);
    assertThat(delivered("backlog")).containsExactly("fired");
    assertThat(evaluate().sent()).as("delivered once").isZero();
  }

  @Test
  void theWebhook_isSignedAsThePublishWebhook_withTheDocumentedBody() throws Exception {
    for (int i = 0; i < 51; i++) {
      pending();
    }
    evaluate();
    assertThat(webhook.deliveries()).hasSize(1);
    WebhookReceiver.Delivery d = webhook.deliveries().get(0);
    Matcher m =
        Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})")
            .matcher(d.headers().get("X-Stepwise-Signature"));
    assertThat(m.matches()).isTrue();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected =
        HexFormat.of()
            .formatHex(mac.doFinal((m.group(1) + "." + d.body()).getBytes(StandardCharsets.UTF_8)));
    assertThat(m.group(2)).isEqualTo(expected);
    assertThat(d.headers().get("Idempotency-Key")).startsWith("alert:backlog:");
    JsonNode body = json.readValue(d.body(), JsonNode.class);
    assertThat(body.get("type").getStringValue()).isEqualTo("alert");
    assertThat(body.get("rule").getStringValue()).isEqualTo("backlog");
    assertThat(body.get("event").getStringValue()).isEqualTo("fired");
    assertThat(body.get("value").getNumberValue().doubleValue()).isEqualTo(51.0);
    assertThat(body.get("threshold").getNumberValue().doubleValue()).isEqualTo(50.0);
    assertThat(body.get("unit").getStringValue()).isEqualTo("tasks");
  }

  @Test
  void theApi_listsTheRulesWithTheirDefaults() {
    ApiClient.Response r = api.get("/api/alerts");
    assertThat(r.status()).isEqualTo(200);
    Map<String, String> rules = new HashMap<>();
    for (JsonNode rule : r.json().get("rules").values()) {
      JsonNode window = rule.get("window");
      rules.put(
          rule.get("rule").getStringValue(),
          rule.get("threshold").getNumberValue().doubleValue()
              + " "
              + rule.get("unit").getStringValue()
              + (window == null || window.isNull() ? "" : " " + window.getStringValue()));
    }
    assertThat(rules)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "failure-rate", "10.0 percent 15m",
                "slow-tasks", "120000.0 ms 15m",
                "stuck-tasks", "0.0 tasks 10m",
                "backlog", "50.0 tasks",
                "model-health", "0.0 models"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "failure-rate.threshold | 110 | a percentage above 0 and below 100",
        "failure-rate.window    | 30s | a duration from 1m to 30d",
        "failure-rate.min-tasks | 0   | a whole number of at least 1",
        "slow-tasks.threshold   | two minutes | a duration above 0",
        "stuck-tasks.after      | -5m | a duration above 0",
        "backlog.threshold      | lots | a whole number of tasks",
        "webhook-url            | ftp://example.invalid/hook | an absolute http or https URL"
      })
  void anInvalidValue_stopsTheStart_namingTheKey(String key, String value, String expected) {
    Map<String, Object> p = new HashMap<>(getProperties());
    p.put("stepwise.alerts." + key, value);
    assertThatThrownBy(() -> ApplicationContext.run(p, "test").close())
        .hasStackTraceContaining("stepwise.alerts." + key + " must be " + expected)
        .hasStackTraceContaining("not " + value);
  }

  // ---- helpers

  private AlertEvaluator.Report evaluate() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream event = getClass().getResourceAsStream("/events/scheduled-event.json")) {
      function.handleRequest(event, out, new TestLambdaContext("alerts"));
    }
    return json.readValue(out.toByteArray(), AlertEvaluator.Report.class);
  }

  /**
   * One health sweep through the health-check handler, a minute after the last; the evaluation that
   * follows comes a second later, as it would.
   */
  private void sweep() throws Exception {
    clock.advance(Duration.ofMinutes(1));
    try (InputStream event = getClass().getResourceAsStream("/events/scheduled-event.json")) {
      healthCheck.handleRequest(
          event, new ByteArrayOutputStream(), new TestLambdaContext("health-check"));
    }
    clock.advance(Duration.ofSeconds(1));
  }

  private JsonNode alerts() {
    ApiClient.Response r = api.get("/api/alerts");
    assertThat(r.status()).isEqualTo(200);
    return r.json();
  }

  private JsonNode active(String rule) {
    for (JsonNode a : alerts().get("active").values()) {
      if (a.get("rule").getStringValue().equals(rule)) {
        assertThat(a.get("since").getStringValue()).isNotBlank();
        return a;
      }
    }
    throw new AssertionError(rule + " is not active");
  }

  /** The rule's transitions in the API's history, newest first. */
  private List<String> events(String rule) {
    List<String> events = new ArrayList<>();
    for (JsonNode e : alerts().get("history").values()) {
      if (e.get("rule").getStringValue().equals(rule)) {
        events.add(e.get("event").getStringValue());
      }
    }
    return events;
  }

  /** The rule's transitions the webhook received, in order. */
  private List<String> delivered(String rule) throws Exception {
    List<String> events = new ArrayList<>();
    for (WebhookReceiver.Delivery d : webhook.deliveries()) {
      JsonNode body = json.readValue(d.body(), JsonNode.class);
      if (body.get("rule").getStringValue().equals(rule)) {
        events.add(body.get("event").getStringValue());
      }
    }
    return events;
  }

  private Task store(Task.Builder task) {
    Task t = task.pipeline(pipeline()).build();
    assertThat(tasks.insert(t)).isTrue();
    return t;
  }

  private Task.Builder task(TaskStatus status) {
    String id = UUID.randomUUID().toString();
    return TaskFixtures.task(id, status, TaskFixtures.run(id, 0, "first", status, 0, 1))
        .version(1)
        .expiresAt(clock.instant().plus(Duration.ofDays(30)));
  }

  /** A task that took {@code took} and finished {@code ago}. */
  private Task finished(TaskStatus status, Duration took, Duration ago) {
    Instant end = clock.instant().minus(ago);
    Task.Builder t = task(status).createdAt(end.minus(took)).updatedAt(end);
    if (status == TaskStatus.FAILED) {
      t.failedStep("first").error(new TaskError("first", "Terminal", "failed on purpose"));
    }
    return store(t);
  }

  private Task running(Duration quietFor) {
    Instant last = clock.instant().minus(quietFor);
    return store(task(TaskStatus.RUNNING).createdAt(last).updatedAt(last).currentStep("first"));
  }

  private Task pending() {
    return store(task(TaskStatus.PENDING).createdAt(clock.instant()).updatedAt(clock.instant()));
  }

  private void delete(String taskId) {
    LocalDynamo.client()
        .deleteItem(
            b ->
                b.tableName(table)
                    .key(
                        Map.of(
                            "PK",
                            AttributeValue.fromS("TASK#" + taskId),
                            "SK",
                            AttributeValue.fromS("META"))));
  }

  private void deleteTasks() {
    var dynamo = LocalDynamo.client();
    for (var item :
        dynamo
            .scan(
                b ->
                    b.tableName(table)
                        .filterExpression("begins_with(PK, :task)")
                        .expressionAttributeValues(Map.of(":task", AttributeValue.fromS("TASK#"))))
            .items()) {
      dynamo.deleteItem(
          b -> b.tableName(table).key(Map.of("PK", item.get("PK"), "SK", item.get("SK"))));
    }
  }
}
