package io.stepwise.http;

import java.util.Collection;
import java.util.List;

/**
 * The secrets that must never leave in a response, a log line or a stored record. Texts from
 * outside are masked of all of them with {@link Redaction}. Implemented in {@code
 * io.stepwise.secrets} from configuration.
 */
public interface KnownSecrets {

  /**
   * The secrets that can be read now, plus {@code also} (e.g. the key just sent, configured or
   * not).
   */
  List<String> all(Collection<String> also);

  default List<String> all() {
    return all(List.of());
  }

  /** The text with every known secret masked. */
  default String redact(String text) {
    return text == null ? null : Redaction.redact(text, all());
  }
}
