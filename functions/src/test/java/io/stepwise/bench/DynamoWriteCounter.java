package io.stepwise.bench;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Counts DynamoDB requests by operation and outcome, and the items transactions wrote or had
 * refused (benchmark only).
 */
@Singleton
@Requires(property = "stepwise.bench.count-dynamo", value = "true")
public class DynamoWriteCounter
    implements BeanCreatedEventListener<DynamoDbClientBuilder>, ExecutionInterceptor {

  private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

  @Override
  public DynamoDbClientBuilder onCreated(BeanCreatedEvent<DynamoDbClientBuilder> event) {
    return event.getBean().overrideConfiguration(c -> c.addExecutionInterceptor(this));
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    count(context.request(), attributes, "");
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    count(context.request(), attributes, " refused");
  }

  private static void count(Object request, ExecutionAttributes attributes, String outcome) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    COUNTS.computeIfAbsent(operation + outcome, k -> new LongAdder()).increment();
    if (request instanceof TransactWriteItemsRequest transaction) {
      COUNTS
          .computeIfAbsent(
              "items" + (outcome.isEmpty() ? " written" : " refused"), k -> new LongAdder())
          .add(transaction.transactItems().size());
    }
  }

  static Map<String, Long> drain() {
    Map<String, Long> snapshot = new TreeMap<>();
    COUNTS.forEach((k, v) -> snapshot.put(k, v.sumThenReset()));
    snapshot.values().removeIf(v -> v == 0);
    return snapshot;
  }
}
