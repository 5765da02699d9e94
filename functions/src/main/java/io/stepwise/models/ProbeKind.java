package io.stepwise.models;

import java.util.Locale;

/** How the health check probes a model. */
public enum ProbeKind {
  /**
   * {@code GET {baseUrl}/models}: proves reachability, key and quota; costs no tokens. The default.
   */
  MODELS_LIST("models-list"),
  /**
   * One tiny chat request (max tokens capped at 1): also proves the model itself answers; costs a
   * few tokens.
   */
  COMPLETION("completion");

  private final String wire;

  ProbeKind(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static ProbeKind parse(String value) {
    for (ProbeKind k : values()) {
      if (k.wire.equals(value.toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown probe '" + value + "'; use models-list or completion");
  }
}
