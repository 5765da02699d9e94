package io.stepwise.usage;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.models.ChatRequest;
import io.stepwise.models.ChatResult;
import io.stepwise.models.ModelCatalog;
import io.stepwise.models.ModelGateway;
import io.stepwise.store.DynamoBudgetLedger;
import io.stepwise.testing.LocalServicesBase;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A reservation that cannot be settled (DynamoDB throttled, say) never costs the answer the call
 * already got: the gateway returns it, logs the failure, and the reservation stays held (the task
 * may be refused sooner, never overspends).
 */
@MicronautTest(environments = "test")
class BudgetSettleIT extends LocalServicesBase {

  @Inject ModelCatalog catalog;
  @Inject ModelGateway gateway;
  @Inject FailingSettles ledger;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = super.getProperties();
    p.put("stepwise.test.failing-settles", "true");
    return p;
  }

  /** Reserves everything, refuses every settle. */
  @Singleton
  @Replaces(DynamoBudgetLedger.class)
  @Requires(property = "stepwise.test.failing-settles", value = "true")
  static class FailingSettles implements BudgetLedger {
    final AtomicInteger reserved = new AtomicInteger();
    final AtomicInteger settles = new AtomicInteger();

    @Override
    public boolean reserve(String taskId, BigDecimal worstUsd, BigDecimal budgetUsd) {
      reserved.incrementAndGet();
      return true;
    }

    @Override
    public void settle(String taskId, BigDecimal reservedUsd, BigDecimal actualUsd) {
      settles.incrementAndGet();
      throw new IllegalStateException("ProvisionedThroughputExceededException (simulated)");
    }

    @Override
    public Spend spend(String taskId) {
      return new Spend(BigDecimal.ZERO, BigDecimal.ZERO);
    }
  }

  @Test
  void aSettleThatFails_keepsTheAnswer_andSaysSo() {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger gatewayLog = (Logger) LoggerFactory.getLogger(ModelGateway.class);
    gatewayLog.addAppender(log);
    ChatResult answer;
    try (UsageScope scope =
        UsageScope.invocation(
            "paper-digest", new UsageScope.Budget("t-settle", new BigDecimal("1.00")))) {
      answer =
          gateway.chat(
              catalog.find("primary").orElseThrow(), // the test services' model with its key set
              new ChatRequest(
                  "You write posts.",
                  List.of(new ChatRequest.Message("user", "Title: A paper\nSummarise it.")),
                  300,
                  0.3),
              "t-settle",
              "analyze");
    } finally {
      gatewayLog.detachAppender(log);
    }

    assertThat(answer.content()).isNotBlank();
    assertThat(ledger.reserved).hasValue(1);
    assertThat(ledger.settles).hasValue(1);
    assertThat(log.list)
        .filteredOn(e -> e.getLevel() == Level.WARN)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getFormattedMessage())
                    .startsWith("budget of task t-settle not settled")
                    .contains("ProvisionedThroughputExceededException"));
  }
}
