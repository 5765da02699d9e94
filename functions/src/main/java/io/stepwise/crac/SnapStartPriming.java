package io.stepwise.crac;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.json.JsonMapper;
import io.stepwise.steps.StepInvocation;
import io.stepwise.steps.StepSummary;
import io.stepwise.store.StoreConfig;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Primes a function before Lambda takes its SnapStart snapshot (CRaC {@code beforeCheckpoint}), so
 * a restored function starts with the DynamoDB request path (signing, HTTP, JSON unmarshalling) and
 * the serde of the step payloads already loaded and compiled. It reads only table metadata: no
 * secret, no task data, no random value ends up in the snapshot. A keep-alive connection it leaves
 * behind may be stale after a restore; the SDK retries such an I/O error on the next call.
 *
 * <p>It registers itself when the application context starts, so every handler gets it, whichever
 * way its context is built (the api's through Micronaut's API Gateway function, the others' through
 * {@link io.stepwise.lambda.FunctionContext}). On a JVM without CRaC the registration is inert.
 */
@Singleton
public class SnapStartPriming implements Resource, ApplicationEventListener<StartupEvent> {

  private final DynamoDbClient dynamo;
  private final StoreConfig store;
  private final JsonMapper json;

  public SnapStartPriming(DynamoDbClient dynamo, StoreConfig store, JsonMapper json) {
    this.dynamo = dynamo;
    this.store = store;
    this.json = json;
  }

  /**
   * Registers with the JVM's global CRaC context, which holds resources weakly: this singleton
   * keeps it.
   */
  @Override
  public void onApplicationEvent(StartupEvent event) {
    Core.getGlobalContext().register(this);
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    prime();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    // Nothing to refresh: clients read credentials per request, clocks are read per call.
  }

  /** One describeTable and one serialisation round-trip of a step invocation and its summary. */
  public void prime() {
    dynamo.describeTable(b -> b.tableName(store.tableName()));
    try {
      StepInvocation invocation = new StepInvocation("prime", "r1", "fetch_papers", 0, 0, null);
      json.readValue(json.writeValueAsBytes(invocation), StepInvocation.class);
      StepSummary summary =
          new StepSummary("prime", "r1", "fetch_papers", "succeeded", false, null);
      json.readValue(json.writeValueAsBytes(summary), StepSummary.class);
    } catch (IOException e) {
      throw new UncheckedIOException("priming serialisation failed", e);
    }
  }
}
