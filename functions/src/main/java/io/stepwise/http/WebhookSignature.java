package io.stepwise.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How every webhook Stepwise sends is signed (the publish webhook, review notifications): an
 * HMAC-SHA256 over {@code <timestamp>.<body>} with a shared secret, sent as {@code
 * X-Stepwise-Signature: t=<timestamp>,v1=<hex>}. The receiver recomputes it and checks the
 * timestamp is recent (docs/operations.md, "Webhooks").
 */
public final class WebhookSignature {

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

  /** The header's value: {@code t=<timestamp>,v1=<hex>}. */
  public static String header(String secret, String timestamp, byte[] body) {
    return "t=" + timestamp + ",v1=" + sign(secret, timestamp, body);
  }

  /**
   * The secret in the environment variable (or system property) {@code name}; empty when the name
   * is blank or nothing is set: the webhook is then sent unsigned.
   */
  public static Optional<String> secret(String name) {
    if (name == null || name.isBlank()) {
      return Optional.empty();
    }
    String value = System.getenv(name);
    return Optional.ofNullable(value != null ? value : System.getProperty(name))
        .filter(v -> !v.isBlank());
  }
}
