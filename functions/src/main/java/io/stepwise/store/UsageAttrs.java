package io.stepwise.store;

import io.stepwise.model.ItemUsage;
import io.stepwise.model.StepUsage;
import io.stepwise.model.Usage;
import java.math.BigDecimal;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Usage as DynamoDB map attributes: {@code {calls, in, out, usd, est}}. */
final class UsageAttrs {

  private UsageAttrs() {}

  static AttributeValue of(Usage u) {
    if (u == null) {
      return null;
    }
    return Attrs.of()
        .n("calls", u.calls())
        .n("in", u.inputTokens())
        .n("out", u.outputTokens())
        .put("usd", AttributeValue.fromN(BigDecimal.valueOf(u.costUsd()).toPlainString()))
        .n("est", u.estimatedCalls())
        .asMap();
  }

  static Usage usage(Map<String, AttributeValue> m) {
    AttributeValue usd = m.get("usd");
    return new Usage(
        (int) Attrs.num(m, "calls", 0),
        Attrs.num(m, "in", 0),
        Attrs.num(m, "out", 0),
        usd == null || usd.n() == null ? 0 : Double.parseDouble(usd.n()),
        (int) Attrs.num(m, "est", 0));
  }

  static Usage usage(Map<String, AttributeValue> item, String name) {
    return Attrs.map(item, name).map(UsageAttrs::usage).orElse(null);
  }

  static AttributeValue of(StepUsage u) {
    if (u == null) {
      return null;
    }
    return Attrs.of()
        .put("paid", of(u.paid()))
        .put("saved", of(u.saved()))
        .n("through", u.through())
        .asMap();
  }

  static StepUsage stepUsage(Map<String, AttributeValue> m) {
    return new StepUsage(
        Usage.orNone(usage(m, "paid")),
        Usage.orNone(usage(m, "saved")),
        (int) Attrs.num(m, "through", 0));
  }

  static AttributeValue of(ItemUsage u) {
    return u == null
        ? null
        : Attrs.of().put("usage", of(u.usage())).n("execution", u.execution()).asMap();
  }

  static ItemUsage itemUsage(Map<String, AttributeValue> m) {
    return new ItemUsage(Usage.orNone(usage(m, "usage")), (int) Attrs.num(m, "execution", 0));
  }
}
