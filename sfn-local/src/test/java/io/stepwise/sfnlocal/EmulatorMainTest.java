package io.stepwise.sfnlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EmulatorMainTest {

  @Test
  void noArguments_port8083_realTime_inMemory() {
    assertThat(EmulatorMain.Options.parse(new String[0]))
        .isEqualTo(new EmulatorMain.Options(8083, 1, null, null, null));
  }

  @Test
  void everyOption_isRead() {
    EmulatorMain.Options options =
        EmulatorMain.Options.parse(
            new String[] {
              "--port",
              "0",
              "--time-scale",
              "0.01",
              "--data-dir",
              "target/x",
              "--lambda-endpoint",
              "http://127.0.0.1:3001",
              "--mock-config",
              "mocks.json"
            });

    assertThat(options)
        .isEqualTo(
            new EmulatorMain.Options(
                0,
                0.01,
                Path.of("target/x"),
                URI.create("http://127.0.0.1:3001"),
                Path.of("mocks.json")));
  }

  @Test
  void unknownOption_missingValue_orNonPositiveScale_sayWhatIsWrongAndShowTheUsage() {
    assertThatThrownBy(() -> EmulatorMain.Options.parse(new String[] {"--sfn-port", "1"}))
        .hasMessageContaining("unknown option --sfn-port")
        .hasMessageContaining("usage: sfn");
    assertThatThrownBy(() -> EmulatorMain.Options.parse(new String[] {"--data-dir"}))
        .hasMessageContaining("--data-dir needs a value");
    assertThatThrownBy(() -> EmulatorMain.Options.parse(new String[] {"--time-scale", "0"}))
        .hasMessageContaining("--time-scale must be positive");
    assertThatThrownBy(
            () -> EmulatorMain.Options.parse(new String[] {"--lambda-endpoint", "localhost:3001"}))
        .hasMessageContaining("--lambda-endpoint must be an http(s) URL");
  }
}
