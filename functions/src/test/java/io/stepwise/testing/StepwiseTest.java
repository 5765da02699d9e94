package io.stepwise.testing;

import io.micronaut.context.ApplicationContext;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the integration tests: the real handlers and services against DynamoDB Local (a fresh table per
 * class) and a local server speaking the Step Functions protocol. Subclasses add {@code @MicronautTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StepwiseTest implements TestPropertyProvider {

  public static final String STATE_MACHINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:stepwise";

  protected final FakeStepFunctions sfn = FakeStepFunctions.start();
  protected final String table = LocalDynamo.newTable();

  @Inject protected ApplicationContext context;
  @Inject protected ScriptedSteps steps;

  @Override
  public Map<String, String> getProperties() {
    return Map.of(
        "aws.services.dynamodb.endpoint-override", LocalDynamo.endpoint().toString(),
        "aws.services.states.endpoint-override", sfn.endpoint().toString(),
        "stepwise.store.table-name", table,
        "stepwise.workflow.state-machine-arn", STATE_MACHINE_ARN,
        "stepwise.blobs.dir", blobDir().toString());
  }

  @BeforeEach
  void resetScripts() {
    steps.reset();
  }

  @AfterAll
  void stopFakes() {
    sfn.close();
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
