package io.stepwise.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.stepwise.api.TaskRequests;
import io.stepwise.tasks.NewTask;
import io.stepwise.testing.LocalServicesBase;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pipeline's default budget ({@code stepwise.pipelines.<name>.budget-usd}). */
@MicronautTest(environments = "test")
class DefaultBudgetIT extends LocalServicesBase {

  @Inject TaskRequests requests;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> p = super.getProperties();
    p.put("stepwise.pipelines.echo.budget-usd", "2.50");
    return p;
  }

  private static BigDecimal budget(NewTask task) {
    return Budgets.of(task.input()).orElse(null);
  }

  @Test
  void aTaskWithoutBudget_takesItsPipelinesDefault_aNamedOneWins() {
    assertThat(budget(requests.parse("{\"pipeline\":\"echo\",\"name\":\"a\"}")))
        .isEqualByComparingTo("2.50");
    assertThat(budget(requests.parse("{\"pipeline\":\"echo\",\"name\":\"a\",\"budgetUsd\":1}")))
        .isEqualByComparingTo("1");
  }

  @Test
  void withoutADefault_aTaskWithoutBudgetHasNone() {
    Map<String, Object> p = new HashMap<>(getProperties());
    p.remove("stepwise.pipelines.echo.budget-usd");
    try (ApplicationContext plain = ApplicationContext.run(p, "test")) {
      assertThat(budget(plain.getBean(TaskRequests.class).parse("{\"name\":\"a\"}")))
          .as("no default: no cap")
          .isNull();
    }
  }

  @Test
  void aDefaultThatIsNoBudget_stopsTheStart_namingTheKey() {
    Map<String, Object> p = new HashMap<>(getProperties());
    p.put("stepwise.pipelines.echo.budget-usd", "lots");
    try (ApplicationContext bad = ApplicationContext.run(p, "test")) {
      assertThatThrownBy(() -> bad.getBean(TaskRequests.class))
          .hasStackTraceContaining(
              "stepwise.pipelines.echo.budget-usd must be a number of USD above 0 and at most"
                  + " 10000, not lots");
    }
  }
}
