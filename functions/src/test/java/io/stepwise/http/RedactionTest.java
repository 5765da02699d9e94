package io.stepwise.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {

  private static final String KEY = "sk-test-redact-0123456789abcdefWXYZ";
  private static final String OTHER = "sk-test-other-zyxwvutsrq9876";

  @Test
  void aKeyOnItsOwn_becomesTheApiMask() {
    assertThat(Redaction.redact("key " + KEY + " is wrong", List.of(KEY)))
        .isEqualTo("key sk-…WXYZ is wrong");
  }

  @Test
  void aKeyInsideALongerToken_andRepeated_isMaskedEveryTime() {
    String text = "ref_" + KEY + "_end, Bearer " + KEY + KEY;
    String redacted = Redaction.redact(text, List.of(KEY));
    assertThat(redacted).doesNotContain(KEY).isEqualTo("ref_sk-…WXYZ_end, Bearer sk-…WXYZsk-…WXYZ");
  }

  @Test
  void everyKeyGiven_isMasked_notOnlyTheFirst() {
    assertThat(Redaction.redact(KEY + " / " + OTHER, List.of(KEY, OTHER)))
        .isEqualTo("sk-…WXYZ / sk-…9876");
  }

  @Test
  void aKeyWrittenWithJsonEscapes_isMaskedToo() {
    String escaped = KEY.replace("-", "\\u002d").replace("W", "\\u0057");
    String upperHex = KEY.replace("-", "\\u002D");
    String redacted =
        Redaction.redact(
            "{\"message\":\"bad key " + escaped + " / " + upperHex + "\"}", List.of(KEY));
    assertThat(redacted).isEqualTo("{\"message\":\"bad key sk-…WXYZ / sk-…WXYZ\"}");
  }

  @Test
  void aSlashEscapedKey_isMasked() {
    String key = "abc/def+ghi/jklmnop";
    assertThat(Redaction.redact("key=abc\\/def+ghi\\/jklmnop", List.of(key)))
        .isEqualTo("key=…mnop");
  }

  @Test
  void aKeyContainingAnotherKey_isMaskedWhole() {
    String shorter = KEY.substring(0, 20);
    assertThat(Redaction.redact(KEY, List.of(shorter, KEY))).isEqualTo("sk-…WXYZ");
  }

  @Test
  void nullsEmptiesAndTinySecrets_changeNothing() {
    assertThat(Redaction.redact(null, List.of(KEY))).isNull();
    assertThat(Redaction.redact("", List.of(KEY))).isEmpty();
    assertThat(Redaction.redact("abc text", Arrays.asList(null, "abc"))).isEqualTo("abc text");
  }

  @Test
  void theMask_showsAtMostTheDashPrefixAndFourCharacters() {
    assertThat(Redaction.mask(KEY)).isEqualTo("sk-…WXYZ");
    assertThat(Redaction.mask("short-key")).isEqualTo("…");
    assertThat(Redaction.mask("nodashatall0123456")).isEqualTo("…3456");
  }
}
