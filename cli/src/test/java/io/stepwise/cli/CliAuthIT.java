package io.stepwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepwise.local.LocalRuntime;
import io.stepwise.local.Options;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The CLI against the local runtime with {@code --auth}: the bearer token comes from {@code
 * STEPWISE_TOKEN}, every command works with it, none prints it (nor a rejected token), and a
 * missing or rejected token is a one-line 401.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliAuthIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private LocalRuntime runtime;
  private String token;

  @BeforeAll
  void start() throws Exception {
    runtime = LocalRuntime.start(Options.ephemeral(0.001).withAuth());
    token =
        Dev.send(runtime.api(), "POST", "/api/dev/tokens", "{\"sub\":\"cli-user\",\"groups\":[]}")
            .path("token")
            .asText();
    assertThat(token).isNotBlank();
  }

  @AfterAll
  void stop() {
    runtime.close();
  }

  private CliRun cli(String tokenValue, String... args) {
    return CliRun.of(
        runtime.api(),
        tokenValue == null ? Map.of() : Map.of("STEPWISE_TOKEN", tokenValue),
        false,
        args);
  }

  @Test
  void everyCommand_sendsTheToken_andNoOutputShowsIt() throws Exception {
    List<CliRun> runs = new ArrayList<>();
    CliRun started = cli(token, "--json", "start", "paper-digest", "--maxPapers", "1");
    runs.add(started);
    assertThat(started.exit()).as("%s", started).isZero();
    String id = JSON.readTree(started.out()).path("taskId").asText();
    runs.add(cli(token, "watch", id, "--interval", "50"));
    runs.add(cli(token, "get", id));
    runs.add(cli(token, "list"));
    runs.add(cli(token, "--json", "list"));
    runs.add(cli(token, "retry", id, "--from", "publish"));
    runs.add(cli(token, "--json", "watch", id, "--interval", "50"));
    runs.add(cli(token, "batch", "start", "paper-digest", "--count", "1", "--maxPapers", "1"));
    runs.add(cli(token, "health"));
    for (CliRun run : runs) {
      assertThat(run.exit()).as("%s", run).isZero();
    }
    CliRun refused = cli(token, "retry", id);
    assertThat(refused.exit()).isEqualTo(3);
    runs.add(refused);
    for (CliRun run : runs) {
      assertThat(run.out() + run.err())
          .as("no output carries the token")
          .doesNotContain(token)
          .doesNotContain(token.substring(token.length() - 20));
    }
  }

  @Test
  void noToken_orARejectedOne_isAOneLine401_thatDoesNotEchoTheToken() {
    CliRun none = cli(null, "list");
    assertThat(none.exit()).isEqualTo(3);
    assertThat(none.err()).startsWith("stepwise: 401 ");
    assertThat(none.err().strip()).doesNotContain("\n");

    String forged = "sk-test-not-a-jwt-cli-0000";
    CliRun rejected = cli(forged, "get", "some-task");
    assertThat(rejected.exit()).isEqualTo(3);
    assertThat(rejected.err()).startsWith("stepwise: 401 ").doesNotContain(forged);
    assertThat(rejected.out()).isEmpty();
  }
}
