package io.stepwise.pipelines.digest.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.fakes.ModelBehaviour;
import io.stepwise.health.HealthSweep;
import io.stepwise.kit.papers.PaperQuery;
import io.stepwise.model.Task;
import io.stepwise.pipelines.digest.DigestInput;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.steps.errors.StepException;
import io.stepwise.tasks.TaskService;
import io.stepwise.testing.ApiClient;
import io.stepwise.testing.DigestServicesBase;
import io.stepwise.testing.HealthItems;
import io.stepwise.testing.LeakScan;
import io.stepwise.testing.LocalDynamo;
import io.stepwise.testing.ModelCallLog;
import io.stepwise.testing.StepDriver;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Providers that repeat the key they were sent (issue 12, item 4): in the answer's JSON, in error
 * bodies and in response headers, over both protocols. After each case the key must be in no
 * checkpoint, no item record (the table scanned raw, gzip outputs opened, blob files read), no API
 * response and no log line; where it was echoed, its mask ({@code sk-…3210}) is there instead.
 */
@MicronautTest(environments = "test")
class KeyEchoIT extends DigestServicesBase {

  private static final String OPENAI_MASK = "sk-…3210";
  private static final String ANTHROPIC_MASK = "sk-…6789";

  @Inject TaskService tasks;
  @Inject HealthSweep sweep;
  StepDriver driver;
  ApiClient api;
  int cases;
  final List<String> leaks = new ArrayList<>();

  @RegisterExtension final ModelCallLog modelCalls = new ModelCallLog();

  @BeforeAll
  void setUp() {
    driver = new StepDriver(context);
    api = new ApiClient(context);
  }

  @BeforeEach
  void freshHealth() {
    HealthItems.clear(table, "primary", "backup");
  }

  private List<String> modelCallLines() {
    return modelCalls.lines();
  }

  @AfterAll
  void figure() {
    System.out.println("KeyEchoIT: " + cases + " echo cases, " + leaks.size() + " leaks");
  }

  private Task fetched() {
    Task t =
        tasks.create(
            PaperDigest.NAME,
            tree(
                new DigestInput(
                    "arxiv",
                    new PaperQuery(List.of("cs.AI"), List.of(), 1),
                    2,
                    "en",
                    new DigestInput.Publish("none"),
                    null)),
            null,
            null,
            null);
    driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.FETCH_PAPERS);
    return t;
  }

  private void analyze(Task t) {
    driver.invoke(t.taskId(), t.currentRunId(), PaperDigest.ANALYZE);
  }

  @Test
  void openAiAnswerRepeatingTheKey_isStoredAndShownMasked() {
    models.behave("fake-gpt", ModelBehaviour.echoingKey());
    Task t = fetched();
    analyze(t);

    String checkpoint = api.get("/api/tasks/" + t.taskId() + "/checkpoint").body();
    assertThat(checkpoint)
        .as("the echo happened, masked")
        .contains("token=" + OPENAI_MASK + ";")
        .contains("Bearer " + OPENAI_MASK);
    assertThat(checkpoint)
        .as("the \\u002d-escaped copy became the mask too")
        .doesNotContain("u002d");
    noLeak(t);
  }

  @Test
  void anthropicAnswerRepeatingTheKey_isStoredAndShownMasked() {
    models.behave("fake-gpt", ModelBehaviour.failing(503));
    models.behave("fake-claude", ModelBehaviour.echoingKey());
    Task t = fetched();
    analyze(t);

    assertThat(api.get("/api/tasks/" + t.taskId() + "/checkpoint").body())
        .contains(ANTHROPIC_MASK)
        .contains("\"model\":\"backup\"");
    noLeak(t);
  }

  @Test
  void errorBodyAndHeadersRepeatingTheKey_fallBackWithoutALeak() {
    models.behave("fake-gpt", ModelBehaviour.echoingKey().withStatus(500, Map.of()));
    models.behave("fake-claude", ModelBehaviour.echoingKey());
    Task t = fetched();
    analyze(t);
    assertThat(modelCallLines())
        .anyMatch(l -> l.contains("HTTP 500") && l.contains("ref_" + OPENAI_MASK + "_end"));
    noLeak(t);
  }

  @Test
  void everyProviderRefusingWithTheKeyInItsError_storesAMaskedStepError() {
    models.behave("fake-gpt", ModelBehaviour.echoingKey().withStatus(400, Map.of()));
    models.behave("fake-claude", ModelBehaviour.echoingKey().withStatus(403, Map.of()));
    Task t = fetched();
    assertThatThrownBy(() -> analyze(t)).isInstanceOf(StepException.class);
    assertThat(modelCallLines())
        .as("each provider's error, masked, in its model call line")
        .anyMatch(l -> l.contains("HTTP 400") && l.contains(OPENAI_MASK))
        .anyMatch(l -> l.contains("HTTP 403") && l.contains(ANTHROPIC_MASK));
    noLeak(t);
  }

  @Test
  void rateLimitedWithTheKeyInBodyAndHeaders_storesAMaskedStepError() {
    models.behave(
        "fake-gpt", ModelBehaviour.echoingKey().withStatus(429, Map.of("Retry-After", "30")));
    models.behave(
        "fake-claude", ModelBehaviour.echoingKey().withStatus(429, Map.of("Retry-After", "90")));
    Task t = fetched();
    assertThatThrownBy(() -> analyze(t)).isInstanceOf(StepException.class);
    noLeak(t);
  }

  @Test
  void wrongKeyRepeatedInA401_staysMasked() {
    models.requireKey("sk-the-right-key-000000");
    try {
      models.behave("fake-gpt", ModelBehaviour.echoingKey());
      models.behave("fake-claude", ModelBehaviour.echoingKey());
      Task t = fetched();
      assertThatThrownBy(() -> analyze(t))
          .isInstanceOf(StepException.class)
          .hasMessageContaining("HTTP 401");
      noLeak(t);
    } finally {
      models.requireKey(null);
    }
  }

  @Test
  void healthProbesAnsweredWithTheKey_recordAndShowItMasked() {
    // Both models are probed by listing at the shared /v1/models, which answers with the behaviour
    // of "".
    models.behave("", ModelBehaviour.echoingKey().withStatus(401, Map.of()));
    sweep.sweep();
    assertThat(api.get("/api/models/health").body()).contains(OPENAI_MASK).contains(ANTHROPIC_MASK);
    noLeak(null);
  }

  /**
   * Counts one case and fails on any leak: the table raw, the blob files, the API's views, every
   * log line.
   */
  private void noLeak(Task t) {
    cases++;
    List<String> found = new ArrayList<>();
    if (t != null) {
      api.get("/api/tasks/" + t.taskId());
      api.get("/api/tasks/" + t.taskId() + "/checkpoint");
    }
    api.get("/api/models/health");
    for (Map<String, AttributeValue> item :
        LocalDynamo.client().scan(b -> b.tableName(table)).items()) {
      StringBuilder text = new StringBuilder(item.toString());
      item.values().stream()
          .filter(v -> v.b() != null)
          .forEach(v -> text.append(gunzip(v.b().asByteArray())));
      scan("item " + item.get("PK") + " " + item.get("SK"), text.toString(), found);
    }
    blobFiles().forEach(p -> scan("blob " + p, read(p), found));
    found.addAll(LeakScan.drainLeaks());
    leaks.addAll(found);
    assertThat(found).as("leaks").isEmpty();
  }

  private static void scan(String where, String text, List<String> found) {
    for (String secret : LeakScan.SECRETS) {
      if (text.contains(secret)) {
        found.add(where + " contains the secret ending " + secret.substring(secret.length() - 4));
      }
    }
  }

  private Stream<Path> blobFiles() {
    Path dir = Path.of(context.getRequiredProperty("stepwise.blobs.dir", String.class));
    try {
      return Files.walk(dir).filter(Files::isRegularFile).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path p) {
    try {
      byte[] bytes = Files.readAllBytes(p);
      return new String(bytes, StandardCharsets.UTF_8) + gunzip(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String gunzip(byte[] bytes) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException notGzip) {
      return "";
    }
  }
}
