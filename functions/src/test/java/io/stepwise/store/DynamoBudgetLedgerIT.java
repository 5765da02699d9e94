package io.stepwise.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepwise.testing.LocalDynamo;
import io.stepwise.usage.BudgetLedger;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A task's budget against DynamoDB Local with many calls of the task reserving at once: in every
 * trial, what is committed (spent plus reserved) never exceeds the budget, as an observer reading
 * the task item throughout sees, and what is spent at the end is what the settled calls cost.
 */
class DynamoBudgetLedgerIT {

  private static final int TRIALS = 20;
  private static final int THREADS = 12;
  private static final BigDecimal BUDGET = new BigDecimal("0.001");
  private static final BigDecimal WORST = new BigDecimal("0.00015");

  private final DynamoDbClient dynamo = LocalDynamo.client();
  private final String table = LocalDynamo.newTable();
  private final DynamoBudgetLedger ledger =
      new DynamoBudgetLedger(
          dynamo, new StoreConfig(table, Duration.ofDays(30), Duration.ofHours(24), 4096, 358400));

  private String newTask() {
    String taskId = UUID.randomUUID().toString();
    Map<String, AttributeValue> item = new java.util.HashMap<>(Keys.task(taskId));
    item.put("taskId", AttributeValue.fromS(taskId));
    dynamo.putItem(b -> b.tableName(table).item(item));
    return taskId;
  }

  private BigDecimal committed(String taskId) {
    AttributeValue v =
        dynamo
            .getItem(b -> b.tableName(table).key(Keys.task(taskId)).consistentRead(true))
            .item()
            .get("committedUsd");
    return v == null ? BigDecimal.ZERO : new BigDecimal(v.n());
  }

  @Test
  void manyCallsReservingAtOnce_neverCommitMoreThanTheBudget() throws Exception {
    int overspends = 0;
    int refusals = 0;
    for (int trial = 0; trial < TRIALS; trial++) {
      String taskId = newTask();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
      CountDownLatch go = new CountDownLatch(1);
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger refused = new AtomicInteger();
      List<Future<BigDecimal>> calls = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        calls.add(
            pool.submit(
                () -> {
                  go.await();
                  BigDecimal paid = BigDecimal.ZERO;
                  // each "call" reserves its worst case, then settles what it cost (at most that)
                  for (int i = 0; i < 3; i++) {
                    if (!ledger.reserve(taskId, WORST, BUDGET)) {
                      refused.incrementAndGet();
                      continue;
                    }
                    Thread.sleep(ThreadLocalRandom.current().nextInt(3));
                    BigDecimal actual =
                        WORST
                            .multiply(BigDecimal.valueOf(ThreadLocalRandom.current().nextDouble()))
                            .setScale(9, RoundingMode.DOWN);
                    ledger.settle(taskId, WORST, actual);
                    paid = paid.add(actual);
                  }
                  return paid;
                }));
      }
      Future<Integer> observer =
          pool.submit(
              () -> {
                go.await();
                int over = 0;
                while (running.get()) {
                  if (committed(taskId).compareTo(BUDGET) > 0) {
                    over++;
                  }
                }
                return over;
              });
      go.countDown();
      BigDecimal paid = BigDecimal.ZERO;
      for (Future<BigDecimal> f : calls) {
        paid = paid.add(f.get());
      }
      running.set(false);
      int seenOver = observer.get();
      pool.shutdown();
      BudgetLedger.Spend spend = ledger.spend(taskId);
      assertThat(spend.spentUsd()).isEqualByComparingTo(paid);
      assertThat(spend.reservedUsd()).isEqualByComparingTo(BigDecimal.ZERO);
      if (seenOver > 0 || spend.spentUsd().compareTo(BUDGET) > 0) {
        overspends++;
      }
      refusals += refused.get();
    }
    System.out.printf(
        "budget trials: %d, calls tried %d, refused %d, overspends %d%n",
        TRIALS, TRIALS * THREADS * 3, refusals, overspends);
    assertThat(refusals).as("the budget was reached in the trials").isPositive();
    assertThat(overspends).isZero();
  }

  @Test
  void aCallWorthMoreThanTheWholeBudget_isRefused_andNothingIsCommitted() {
    String taskId = newTask();
    assertThat(ledger.reserve(taskId, new BigDecimal("0.002"), BUDGET)).isFalse();
    assertThat(committed(taskId)).isEqualByComparingTo(BigDecimal.ZERO);
    assertThat(ledger.reserve(taskId, WORST, BUDGET)).isTrue();
    assertThat(ledger.spend(taskId).reservedUsd()).isEqualByComparingTo(WORST);
  }
}
