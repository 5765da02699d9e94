package io.stepwise.secrets;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.stepwise.http.KnownSecrets;
import io.stepwise.models.ApiKeys;
import io.stepwise.models.ModelCatalog;
import io.stepwise.models.ModelSpec;
import io.stepwise.steps.errors.StepException;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every secret Stepwise is configured with: each model's API key (environment or Secrets Manager,
 * through {@link ApiKeys}), the webhook signing secrets ({@code
 * stepwise.publish.webhook.secret-env}, {@code stepwise.alerts.webhook-secret-env}) and the MCP
 * target's bearer token and OAuth client secret when they come from the environment ({@code
 * stepwise.publish.mcp.auth.bearer-token-env}, {@code client-secret-env}). What crosses the
 * boundary from outside (model answers, error bodies) is cleaned of all of them, not only of the
 * key that was sent, since one provider or proxy may hold several. Read at call time, never kept:
 * nothing of them is captured in a SnapStart snapshot, and a rotated key is redacted as soon as it
 * is in use.
 */
@Singleton
public class ConfiguredSecrets implements KnownSecrets {

  private final ModelCatalog catalog;
  private final ApiKeys keys;
  private final List<String> secretVariables;

  public ConfiguredSecrets(
      ModelCatalog catalog,
      ApiKeys keys,
      @Nullable @Value("${stepwise.publish.webhook.secret-env:}") String webhookSecretEnv,
      @Nullable @Value("${stepwise.publish.mcp.auth.bearer-token-env:}") String mcpTokenEnv,
      @Nullable @Value("${stepwise.publish.mcp.auth.client-secret-env:}") String mcpClientSecretEnv,
      @Nullable @Value("${stepwise.alerts.webhook-secret-env:}") String alertSecretEnv) {
    this.catalog = catalog;
    this.keys = keys;
    this.secretVariables =
        Stream.of(webhookSecretEnv, mcpTokenEnv, mcpClientSecretEnv, alertSecretEnv)
            .filter(v -> v != null && !v.isBlank())
            .toList();
  }

  @Override
  public List<String> all(Collection<String> also) {
    List<String> secrets = new ArrayList<>(also);
    for (ModelSpec model : catalog.all()) {
      try {
        keys.keyFor(model).ifPresent(secrets::add);
      } catch (StepException unreadable) {
        // A key we cannot read was never sent by us, and cannot be masked anyway: the other keys
        // still are.
      }
    }
    secretVariables.forEach(v -> fromEnvironment(v).ifPresent(secrets::add));
    return secrets;
  }

  private static Optional<String> fromEnvironment(@Nullable String variable) {
    if (variable == null || variable.isBlank()) {
      return Optional.empty();
    }
    String value = System.getenv(variable);
    return Optional.ofNullable(value != null ? value : System.getProperty(variable))
        .filter(v -> !v.isBlank());
  }
}
