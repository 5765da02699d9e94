package io.stepwise.local.bench;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Counts DynamoDB requests by component and operation (benchmark only: this class is on the test
 * classpath). The component is told by the calling thread: step functions run on the emulator's
 * {@code sfn-task} threads, execution-events on {@code sfn-events}, the API on Netty's event loops.
 */
@Singleton
public class DynamoCallCounter
    implements BeanCreatedEventListener<DynamoDbClientBuilder>, ExecutionInterceptor {

  static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

  @Override
  public DynamoDbClientBuilder onCreated(BeanCreatedEvent<DynamoDbClientBuilder> event) {
    return withInterceptor(event.getBean(), this);
  }

  /**
   * The builder with the interceptor added to those already there (overrideConfiguration(consumer)
   * would replace another listener's).
   */
  static DynamoDbClientBuilder withInterceptor(
      DynamoDbClientBuilder builder, ExecutionInterceptor interceptor) {
    return builder.overrideConfiguration(
        builder.overrideConfiguration().toBuilder().addExecutionInterceptor(interceptor).build());
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    String thread = Thread.currentThread().getName();
    String component =
        thread.startsWith("sfn-task")
            ? "steps"
            : thread.startsWith("sfn-events") ? "execution-events" : "api";
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    COUNTS.computeIfAbsent(component + " " + operation, k -> new LongAdder()).increment();
  }
}
