package io.stepwise.http;

import io.micronaut.core.annotation.Nullable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How every webhook Stepwise sends is signed (the publish webhook, the alert webhook): an
 * HMAC-SHA256 over {@code <timestamp>.<body>} with a shared secret, sent as {@code
 * X-Stepwise-Signature: t=<unix seconds>,v1=<hex>}. One implementation, so a receiver verifies all
 * of them with the same few lines (docs/pipelines.md, "The webhook contract").
 */
public final class WebhookSignature {

  /** The header the signature travels in. */
  public static final String HEADER = "X-Stepwise-Signature";

  private WebhookSignature() {}

  /** {@code hex(HMAC-SHA256(secret, timestamp + "." + body))}. */
  public static String sign(String secret, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The header's value: {@code t=<epochSeconds>,v1=<hex>}. */
  public static String header(String secret, long epochSeconds, byte[] body) {
    String timestamp = Long.toString(epochSeconds);
    return "t=" + timestamp + ",v1=" + sign(secret, timestamp, body);
  }

  /**
   * The secret held by the environment variable {@code variable} names (a system property of that
   * name in tests), read at call time so none is captured in a SnapStart snapshot; empty when no
   * variable is named or it holds nothing (the webhook is then sent unsigned).
   */
  public static Optional<String> secretFrom(@Nullable String variable) {
    if (variable == null || variable.isBlank()) {
      return Optional.empty();
    }
    String value = System.getenv(variable);
    return Optional.ofNullable(value != null ? value : System.getProperty(variable))
        .filter(v -> !v.isBlank());
  }
}
