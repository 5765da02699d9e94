package io.stepwise.testing;

import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.support.TestPropertyProvider;
import io.stepwise.fakes.McpServer;
import io.stepwise.fakes.ModelServer;
import io.stepwise.fakes.PaperSourceServer;
import io.stepwise.fakes.WebhookReceiver;
import io.stepwise.sfnlocal.testing.HeldStepFunctions;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the integration tests: the real handlers and services against DynamoDB Local (a fresh
 * table per class) and the Step Functions emulator, whose executions wait in their Task state until
 * stopped (the tests run the steps themselves, with {@code StepDriver}). Subclasses add
 * {@code @MicronautTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class LocalServicesBase implements TestPropertyProvider {

  public static final String STATE_MACHINE_ARN =
      "arn:aws:states:us-east-1:123456789012:stateMachine:stepwise";

  public static final String OPENAI_KEY_ENV = "STEPWISE_TEST_OPENAI_KEY";
  public static final String ANTHROPIC_KEY_ENV = "STEPWISE_TEST_ANTHROPIC_KEY";

  /** Test keys: what a leak scan looks for. Shaped like real keys, valid nowhere. */
  public static final String OPENAI_KEY = "sk-test-openai-9f8e7d6c5b4a3210";

  public static final String ANTHROPIC_KEY = "sk-ant-test-0a1b2c3d4e5f6789";
  public static final String WEBHOOK_SECRET_ENV = "STEPWISE_TEST_WEBHOOK_SECRET";
  public static final String WEBHOOK_SECRET = "whsec-test-5e6f7a8b9c0d";

  static {
    System.setProperty(OPENAI_KEY_ENV, OPENAI_KEY);
    System.setProperty(ANTHROPIC_KEY_ENV, ANTHROPIC_KEY);
    System.setProperty(WEBHOOK_SECRET_ENV, WEBHOOK_SECRET);
  }

  protected final HeldStepFunctions sfn = HeldStepFunctions.start(STATE_MACHINE_ARN);
  protected final PaperSourceServer papers = PaperSourceServer.start(0);
  protected final ModelServer models = ModelServer.start(0);
  protected final McpServer mcp = McpServer.start(0);
  protected final WebhookReceiver webhook = WebhookReceiver.start(0);

  protected final String table = LocalDynamo.newTable();

  @Inject protected ApplicationContext context;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = new HashMap<>();
    p.put("aws.services.dynamodb.endpoint-override", LocalDynamo.endpoint().toString());
    p.put("aws.services.states.endpoint-override", sfn.endpoint().toString());
    p.put("stepwise.store.table-name", table);
    p.put("stepwise.workflow.state-machine-arns", pipeline() + "=" + STATE_MACHINE_ARN);
    p.put("stepwise.pipelines.default", pipeline());
    p.put("stepwise.blobs.dir", blobDir().toString());
    p.put("stepwise.sources.arxiv-url", papers.arxivUrl());
    p.put("stepwise.sources.hugging-face-url", papers.huggingFaceUrl());
    p.put("stepwise.sources.timeout", "2s");
    p.put("stepwise.models.primary.provider", "openai-compatible");
    p.put("stepwise.models.primary.base-url", models.apiBase());
    p.put("stepwise.models.primary.model", "fake-gpt");
    p.put("stepwise.models.primary.api-key-env", OPENAI_KEY_ENV);
    p.put("stepwise.models.backup.provider", "anthropic");
    p.put("stepwise.models.backup.base-url", models.apiBase());
    p.put("stepwise.models.backup.model", "fake-claude");
    p.put("stepwise.models.backup.api-key-env", ANTHROPIC_KEY_ENV);
    p.put("stepwise.routing.primary", "primary");
    p.put("stepwise.routing.fallbacks", "backup");
    p.put("stepwise.routing.timeout", "2s");
    p.put("stepwise.publish.mcp.url", mcp.endpoint());
    p.put("stepwise.publish.mcp.timeout", "2s");
    p.put("stepwise.publish.webhook.url", webhook.url());
    p.put("stepwise.publish.webhook.secret-env", WEBHOOK_SECRET_ENV);
    p.put("stepwise.publish.webhook.timeout", "2s");
    return p;
  }

  /**
   * The pipeline whose state machine the emulator holds and that a task naming none runs: the
   * core's tests use the fixture pipeline {@code echo}; a pipeline's own tests name theirs.
   */
  protected String pipeline() {
    return "echo";
  }

  /** A value as the JSON tree a task stores (e.g. a pipeline's input record). */
  protected JsonNode tree(Object value) {
    try {
      return context.getBean(JsonMapper.class).writeValueToTree(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeEach
  void resetScripts() {
    papers.reset();
    models.reset();
    mcp.reset();
    webhook.reset();
  }

  @AfterAll
  void stopFakes() {
    sfn.close();
    papers.close();
    models.close();
    mcp.close();
    webhook.close();
  }

  private static Path blobDir() {
    try {
      Path target = Path.of("target");
      Files.createDirectories(target);
      return Files.createTempDirectory(target.toAbsolutePath(), "blobs");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
