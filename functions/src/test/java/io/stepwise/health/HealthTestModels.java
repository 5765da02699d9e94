package io.stepwise.health;

import io.stepwise.fakes.ModelServer;
import io.stepwise.testing.LocalServicesBase;
import java.util.HashMap;
import java.util.Map;

/**
 * The models of the health tests, each on its own base path of the local model server (as on its
 * own host): {@code primary} (OpenAI, fake-gpt) and {@code backup} (Anthropic, fake-claude) as in
 * every test, plus {@code slowpoke} (fake-slow), {@code completer} (probed by a completion,
 * fake-complete) and {@code off} (disabled). Probes time out after 3 s; slower than 1 s is degraded
 * (loose, so a loaded build machine does not look slow).
 */
public final class HealthTestModels {

  /** Every model name these tests configure. */
  public static final String[] NAMES = {"primary", "backup", "slowpoke", "completer", "off"};

  private HealthTestModels() {}

  public static Map<String, String> properties(Map<String, String> base, ModelServer models) {
    Map<String, String> p = new HashMap<>(base);
    p.put("stepwise.models.primary.base-url", models.apiBase("fake-gpt"));
    p.put("stepwise.models.backup.base-url", models.apiBase("fake-claude"));
    model(p, "slowpoke", "openai-compatible", models.apiBase("fake-slow"), "fake-slow");
    model(p, "completer", "openai-compatible", models.apiBase("fake-complete"), "fake-complete");
    p.put("stepwise.models.completer.probe", "completion");
    model(p, "off", "openai-compatible", models.apiBase("fake-off"), "fake-off");
    p.put("stepwise.models.off.enabled", "false");
    // application.properties's default model (api.openai.com) is out of reach here.
    p.put("stepwise.models.openai.enabled", "false");
    p.put("stepwise.health.probe-timeout", "3s");
    p.put("stepwise.health.slow-threshold", "1s");
    return p;
  }

  private static void model(
      Map<String, String> p, String name, String provider, String base, String model) {
    p.put("stepwise.models." + name + ".provider", provider);
    p.put("stepwise.models." + name + ".base-url", base);
    p.put("stepwise.models." + name + ".model", model);
    p.put("stepwise.models." + name + ".api-key-env", LocalServicesBase.OPENAI_KEY_ENV);
  }
}
