package io.stepwise.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepwise.models.ModelCatalog;
import io.stepwise.models.ModelProperties;
import io.stepwise.steps.errors.TransientStepException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfiguredSecretsTest {

  private static ModelProperties model(String name) {
    ModelProperties p = new ModelProperties(name);
    p.setBaseUrl("http://127.0.0.1:1/v1");
    p.setModel(name + "-model");
    return p;
  }

  @Test
  void
      everyModelsKey_theWebhookSecret_andTheMcpCredentials_areKnown_andAKeyThatCannotBeReadIsSkipped() {
    System.setProperty("CONFIGURED_SECRETS_TEST_WEBHOOK", "whsec-unit-0123456789");
    System.setProperty("CONFIGURED_SECRETS_TEST_MCP_TOKEN", "mcp-test-token-unit-01");
    System.setProperty("CONFIGURED_SECRETS_TEST_MCP_CLIENT", "client-test-secret-unit-02");
    System.setProperty("CONFIGURED_SECRETS_TEST_ALERTS", "whsec-alerts-unit-03");
    ModelCatalog catalog =
        new ModelCatalog(List.of(model("a"), model("b"), model("broken"), model("keyless")));
    ConfiguredSecrets secrets =
        new ConfiguredSecrets(
            catalog,
            m ->
                switch (m.name()) {
                  case "a" -> Optional.of("sk-test-a-0000000aaaa");
                  case "b" -> Optional.of("sk-test-b-0000000bbbb");
                  case "broken" -> throw new TransientStepException("secret not readable");
                  default -> Optional.empty();
                },
            "CONFIGURED_SECRETS_TEST_WEBHOOK",
            "CONFIGURED_SECRETS_TEST_MCP_TOKEN",
            "CONFIGURED_SECRETS_TEST_MCP_CLIENT",
            "CONFIGURED_SECRETS_TEST_ALERTS");

    assertThat(secrets.all(List.of("sk-test-sent-0000cccc")))
        .containsExactlyInAnyOrder(
            "sk-test-sent-0000cccc",
            "sk-test-a-0000000aaaa",
            "sk-test-b-0000000bbbb",
            "whsec-unit-0123456789",
            "mcp-test-token-unit-01",
            "client-test-secret-unit-02",
            "whsec-alerts-unit-03");
    assertThat(secrets.redact("a=sk-test-b-0000000bbbb w=whsec-unit-0123456789"))
        .isEqualTo("a=sk-…bbbb w=whsec-…6789");
  }
}
