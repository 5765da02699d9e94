package io.stepwise.infra;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import software.constructs.Node;

/**
 * What a deployment may choose, read from CDK context ({@code cdk.json} or {@code -c key=value}).
 *
 * @param functionsJar the shaded jar every function runs ({@code ./mvnw package} builds it)
 * @param jwtIssuer with {@code jwtAudience}: the HTTP API requires a JWT from this issuer; empty: the API is open
 * @param jwtAudience accepted {@code aud} values
 * @param models configured model names; each gets a Secrets Manager secret for its API key
 * @param httpApi false where API Gateway v2 is not available (LocalStack's free edition): the api function is
 *     still deployed and can be invoked directly
 * @param functionEnvironment extra environment for every function (e.g. endpoints of local protocol servers)
 * @param alarmEmails addresses subscribed to the alarm topic (each confirms by mail); empty: subscribe yourself
 */
public record StackConfig(
    Path functionsJar,
    String jwtIssuer,
    List<String> jwtAudience,
    List<String> models,
    boolean httpApi,
    Map<String, String> functionEnvironment,
    List<String> alarmEmails) {

  public static final String DEFAULT_JAR = "../functions/target/stepwise-functions.jar";

  public StackConfig {
    jwtAudience = List.copyOf(jwtAudience);
    models = List.copyOf(models);
    functionEnvironment = Map.copyOf(functionEnvironment);
    alarmEmails = List.copyOf(alarmEmails);
  }

  /** Paths relative to the infra module, where cdk and Maven run; one model, {@code openai}; API open. */
  public static StackConfig defaults() {
    return new StackConfig(
        Path.of(DEFAULT_JAR), "", List.of(), List.of("openai"), true, Map.of(), List.of());
  }

  public static StackConfig fromContext(Node node) {
    if (node.tryGetContext("definition") != null) {
      // Once a path to statemachine.asl.json: each pipeline's ASL now comes from the functions jar.
      throw new IllegalArgumentException(
          "the context value 'definition' is no longer read: every pipeline's ASL is deployed from the functions jar");
    }
    StackConfig d = defaults();
    return new StackConfig(
        Path.of(text(node, "functionsJar", DEFAULT_JAR)),
        text(node, "jwtIssuer", ""),
        list(text(node, "jwtAudience", "")),
        list(text(node, "models", String.join(",", d.models()))),
        Boolean.parseBoolean(text(node, "httpApi", "true")),
        Map.of(),
        list(text(node, "alarmEmail", "")));
  }

  public boolean jwtConfigured() {
    return !jwtIssuer.isBlank() && !jwtAudience.isEmpty();
  }

  public StackConfig withFunctionEnvironment(Map<String, String> environment) {
    return new StackConfig(functionsJar, jwtIssuer, jwtAudience, models, httpApi, environment, alarmEmails);
  }

  public StackConfig withJwt(String issuer, List<String> audience) {
    return new StackConfig(functionsJar, issuer, audience, models, httpApi, functionEnvironment, alarmEmails);
  }

  public StackConfig withHttpApi(boolean enabled) {
    return new StackConfig(functionsJar, jwtIssuer, jwtAudience, models, enabled, functionEnvironment, alarmEmails);
  }

  public StackConfig withAlarmEmails(List<String> emails) {
    return new StackConfig(functionsJar, jwtIssuer, jwtAudience, models, httpApi, functionEnvironment, emails);
  }

  private static String text(Node node, String key, String fallback) {
    Object value = node.tryGetContext(key);
    return value == null ? fallback : value.toString().trim();
  }

  private static List<String> list(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
