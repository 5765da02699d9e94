package io.stepwise.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How group claims arrive after API Gateway flattens them to strings. */
class CallersTest {

  @Test
  void groups_readsApiGatewaysFlattenedArray_jsonArray_commaList_andSingleGroup() {
    assertThat(Callers.groups("[readers stepwise-operators]"))
        .containsExactlyInAnyOrder("readers", "stepwise-operators");
    assertThat(Callers.groups("[\"readers\",\"stepwise-operators\"]"))
        .containsExactlyInAnyOrder("readers", "stepwise-operators");
    assertThat(Callers.groups("readers, stepwise-operators"))
        .containsExactlyInAnyOrder("readers", "stepwise-operators");
    assertThat(Callers.groups("stepwise-operators")).containsExactly("stepwise-operators");
    assertThat(Callers.groups("[]")).isEmpty();
    assertThat(Callers.groups(null)).isEmpty();
  }
}
