package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {

  @Test
  void defaults_withoutFlagsOrEnvironment() {
    Options o = Options.parse(new String[0], Map.of());

    assertThat(o.apiPort()).isEqualTo(8080);
    assertThat(o.sfnPort()).isEqualTo(8083);
    assertThat(o.dynamoPort()).isEqualTo(8000);
    assertThat(o.timeScale()).isEqualTo(1.0);
    assertThat(o.dataDir()).isNull();
    assertThat(o.realModels()).isFalse();
    assertThat(o.healthProperties())
        .as("application.properties's health schedule applies")
        .isEmpty();
  }

  @Test
  void reconciler_isScaledByTheTimeScale_butNeverBelowOneSecond() {
    assertThat(Options.parse(new String[0], Map.of()).reconcilerProperties())
        .containsEntry("stepwise.reconciler.interval", "30000ms")
        .containsEntry("stepwise.reconciler.grace", "10000ms");
    assertThat(Options.parse(new String[] {"--time-scale", "0.1"}, Map.of()).reconcilerProperties())
        .containsEntry("stepwise.reconciler.interval", "3000ms")
        .containsEntry("stepwise.reconciler.grace", "1000ms");
    assertThat(
            Options.parse(new String[] {"--time-scale", "0.001"}, Map.of()).reconcilerProperties())
        .containsEntry("stepwise.reconciler.interval", "1000ms")
        .containsEntry("stepwise.reconciler.grace", "1000ms");
  }

  @Test
  void flagsWinOverEnvironment() {
    Options o =
        Options.parse(
            new String[] {
              "--port",
              "9090",
              "--time-scale",
              "0.01",
              "--data-dir",
              "d",
              "--health-interval",
              "5",
              "--health-min-gap",
              "0.5"
            },
            Map.of("STEPWISE_PORT", "7070", "STEPWISE_HEALTH_INTERVAL", "30"));

    assertThat(o.apiPort()).isEqualTo(9090);
    assertThat(o.timeScale()).isEqualTo(0.01);
    assertThat(o.dataDir()).isEqualTo(Path.of("d"));
    assertThat(o.healthInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.healthMinGap()).isEqualTo(Duration.ofMillis(500));
    assertThat(o.healthProperties())
        .containsEntry("stepwise.health.interval", "5000ms")
        .containsEntry("stepwise.health.min-gap", "500ms");
  }

  @Test
  void logFormat_textByDefault_jsonByFlagOrEnvironment_anythingElseRefused() {
    assertThat(Options.parse(new String[0], Map.of()).jsonLogs()).isFalse();
    assertThat(Options.parse(new String[] {"--log-format", "json"}, Map.of()).jsonLogs()).isTrue();
    assertThat(Options.parse(new String[0], Map.of("STEPWISE_LOG_FORMAT", "json")).jsonLogs())
        .isTrue();
    assertThat(
            Options.parse(
                    new String[] {"--log-format", "text"}, Map.of("STEPWISE_LOG_FORMAT", "json"))
                .jsonLogs())
        .as("the flag wins")
        .isFalse();
    assertThatThrownBy(() -> Options.parse(new String[] {"--log-format", "xml"}, Map.of()))
        .hasMessage("--log-format must be text or json, not xml");
  }

  @Test
  void healthScheduleFromEnvironment() {
    Options o =
        Options.parse(
            new String[0],
            Map.of("STEPWISE_HEALTH_INTERVAL", "30", "STEPWISE_HEALTH_MIN_GAP", "2"));

    assertThat(o.healthProperties())
        .containsEntry("stepwise.health.interval", "30000ms")
        .containsEntry("stepwise.health.min-gap", "2000ms");
  }

  @Test
  void badValues_areRefusedWithTheFlagsName() {
    assertThatThrownBy(() -> Options.parse(new String[] {"--health-interval", "soon"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--health-interval");
    assertThatThrownBy(() -> Options.parse(new String[] {"--health-min-gap", "0"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--health-min-gap");
    assertThatThrownBy(() -> Options.parse(new String[] {"--time-scale", "-1"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--time-scale");
    assertThatThrownBy(() -> Options.parse(new String[] {"--bogus"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown option --bogus");
    assertThatThrownBy(() -> Options.parse(new String[] {"--port"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--port needs a value");
  }

  @Test
  void numbersThatAreNotNumbers_sayWhatIsWanted_notTheParsersWords() {
    assertThatThrownBy(() -> Options.parse(new String[] {"--port", "abc"}, Map.of()))
        .hasMessage("--port takes a port number from 0 to 65535 (0: any free port); got \"abc\"");
    assertThatThrownBy(() -> Options.parse(new String[] {"--sfn-port", "70000"}, Map.of()))
        .hasMessageContaining("--sfn-port takes a port number");
    assertThatThrownBy(() -> Options.parse(new String[] {"--time-scale", "fast"}, Map.of()))
        .hasMessage("--time-scale takes a positive number, e.g. 0.1; got \"fast\"");
    assertThatThrownBy(() -> Options.parse(new String[0], Map.of("STEPWISE_PORT", "x")))
        .hasMessageContaining("STEPWISE_PORT takes a port number");
  }

  @Test
  void help_isAskedForWithDashDashHelpOrDashH() {
    assertThat(Options.wantsHelp(new String[] {"--help"})).isTrue();
    assertThat(Options.wantsHelp(new String[] {"--port", "1", "-h"})).isTrue();
    assertThat(Options.wantsHelp(new String[] {"--port", "1"})).isFalse();
    assertThat(Options.usage()).contains("--auth").contains("--data-dir");
  }

  @Test
  void auth_fromTheFlagOrTheEnvironment() {
    assertThat(Options.parse(new String[0], Map.of()).auth()).isFalse();
    assertThat(Options.parse(new String[] {"--auth"}, Map.of()).auth()).isTrue();
    assertThat(Options.parse(new String[0], Map.of("STEPWISE_AUTH", "true")).auth()).isTrue();
  }

  @Test
  void realSourcesAndAConfigFile_andAMissingConfigFileIsRefused() throws Exception {
    Path file = Files.createTempFile("stepwise-options", ".yml");
    Options o =
        Options.parse(new String[] {"--real-sources", "--config", file.toString()}, Map.of());
    assertThat(o.realSources()).isTrue();
    assertThat(o.configFile()).isEqualTo(file);
    assertThatThrownBy(
            () -> Options.parse(new String[] {"--config", "/no/such/stepwise.yml"}, Map.of()))
        .hasMessage("--config /no/such/stepwise.yml: no such readable file");
  }
}
