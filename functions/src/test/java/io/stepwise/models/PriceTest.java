package io.stepwise.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.stepwise.model.Usage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Prices from configuration, and tokens estimated (and flagged) when a provider reports none. */
class PriceTest {

  @Test
  void aCallsCost_isItsTokensAtThePricePerMillion() {
    Price price = Price.of("m", Map.of("input-per-million", "0.15", "output-per-million", 0.6));
    Usage u = price.usage(120, 80, false);
    assertThat(u.costUsd()).isCloseTo(0.000066, within(1e-12));
    assertThat(u.calls()).isEqualTo(1);
    assertThat(u.estimatedCalls()).isZero();
    assertThat(Price.of("m", Map.of()).usage(1000, 1000, false).costUsd()).isZero();
  }

  @Test
  void aBadPrice_isRefusedNamingTheKey() {
    assertThatThrownBy(() -> Price.of("m", Map.of("input-per-million", "-1")))
        .hasMessageContaining("model m price.input-per-million must be a number of USD, 0 or more");
    assertThatThrownBy(() -> Price.of("m", Map.of("output-per-million", "cheap")))
        .hasMessageContaining("price.output-per-million");
    assertThatThrownBy(() -> Price.of("m", Map.of("input", "1")))
        .hasMessageContaining("price.input is not a setting");
  }

  @Test
  void aCallsWorstCase_coversEveryPromptByteAsATokenAndAllItsMaxTokens() {
    Price price = new Price(1.0, 2.0);
    ChatRequest request =
        new ChatRequest("sys", List.of(new ChatRequest.Message("user", "中文")), 100, 0);
    // 16 + 3 bytes of system, 8 + 6 bytes of the message: 33 tokens in; 100 out
    assertThat(ModelGateway.worstCase(price, request))
        .isEqualByComparingTo(new java.math.BigDecimal("0.000233"));
    assertThat(ModelGateway.worstCase(price, request).doubleValue())
        .as("never below what the estimate costs")
        .isGreaterThanOrEqualTo(price.usage(TokenEstimate.of(request), 100, true).costUsd());
  }

  @Test
  void anAnswerWithoutUsage_getsEstimatedTokens_flagged() {
    ChatRequest request =
        new ChatRequest("system!!", List.of(new ChatRequest.Message("user", "12345678")), 100, 0);
    ChatResult counted = ModelGateway.counted(new ChatResult("abcd中文", "stop", 0, 0), request);
    assertThat(counted.estimated()).isTrue();
    assertThat(counted.promptTokens()).isEqualTo(4);
    assertThat(counted.completionTokens()).isEqualTo(3);
    ChatResult reported = new ChatResult("abcd", "stop", 120, 80);
    assertThat(ModelGateway.counted(reported, request)).isSameAs(reported);
  }
}
