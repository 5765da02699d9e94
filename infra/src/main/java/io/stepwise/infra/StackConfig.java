package io.stepwise.infra;

import io.stepwise.catalog.Handler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.constructs.Node;

/**
 * What a deployment may choose, read from CDK context ({@code cdk.json} or {@code -c key=value}).
 *
 * @param functionsJar the shaded jar of the core's functions, every pipeline in it ({@code ./mvnw
 *     package} builds it in {@code bundle/}); each pipeline's step functions run their own, smaller
 *     package beside it when it is built ({@link #packageOf})
 * @param auth who may call the HTTP API ({@link Auth}): a Cognito user pool of the stack (default),
 *     an external issuer, or nobody checked
 * @param models configured model names; each gets a Secrets Manager secret for its API key
 * @param httpApi false where API Gateway v2 is not available (LocalStack's free edition): the api
 *     function is still deployed and can be invoked directly
 * @param functionEnvironment extra environment for every function (e.g. endpoints of local protocol
 *     servers)
 * @param alarmEmails addresses subscribed to the alarm topic (each confirms by mail): context
 *     {@code alertEmail}, as the alerts' docs name it, and its older name {@code alarmEmail}, both
 *     read; empty: subscribe yourself
 * @param apiThrottle the HTTP API's default-stage limits ({@code apiRateLimit}, {@code
 *     apiBurstLimit})
 */
public record StackConfig(
    Path functionsJar,
    Auth auth,
    List<String> models,
    boolean httpApi,
    Map<String, String> functionEnvironment,
    List<String> alarmEmails,
    Throttle apiThrottle) {

  /**
   * Requests per second the HTTP API's {@code $default} stage passes on to the api function, steady
   * and in a burst; API Gateway answers 429 beyond them. They keep one caller (signed in, or anyone
   * while auth=none) from running up Lambda, DynamoDB and Step Functions use for everyone. The
   * defaults leave room for dozens of open dashboards (each polls about 1.5 requests per second)
   * and scripts; bulk work goes through the batch and bulk retry endpoints, one request for many
   * tasks.
   *
   * @param rateLimit steady requests per second (API Gateway's token refill rate)
   * @param burstLimit requests that may arrive at once (the bucket size)
   */
  public record Throttle(double rateLimit, int burstLimit) {

    public static final Throttle DEFAULT = new Throttle(50, 100);

    public Throttle {
      if (!(rateLimit > 0) || Double.isInfinite(rateLimit)) {
        throw new IllegalArgumentException(
            "apiRateLimit must be a positive number of requests per second, was " + rateLimit);
      }
      if (burstLimit <= 0) {
        throw new IllegalArgumentException(
            "apiBurstLimit must be a positive number of requests, was " + burstLimit);
      }
    }
  }

  public static final String DEFAULT_JAR = "../bundle/target/stepwise-functions.jar";

  public StackConfig {
    Objects.requireNonNull(auth, "auth");
    models = List.copyOf(models);
    functionEnvironment = Map.copyOf(functionEnvironment);
    alarmEmails = List.copyOf(alarmEmails);
    Objects.requireNonNull(apiThrottle, "apiThrottle");
  }

  /** With the default API throttle. */
  public StackConfig(
      Path functionsJar,
      Auth auth,
      List<String> models,
      boolean httpApi,
      Map<String, String> functionEnvironment,
      List<String> alarmEmails) {
    this(functionsJar, auth, models, httpApi, functionEnvironment, alarmEmails, Throttle.DEFAULT);
  }

  /**
   * Paths relative to the infra module, where cdk and Maven run; one model, {@code openai}; sign-in
   * through a Cognito user pool of the stack.
   */
  public static StackConfig defaults() {
    return new StackConfig(
        Path.of(DEFAULT_JAR), Auth.Cognito.DEFAULT, List.of("openai"), true, Map.of(), List.of());
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
        Auth.fromContext(node),
        list(text(node, "models", String.join(",", d.models()))),
        Boolean.parseBoolean(text(node, "httpApi", "true")),
        Map.of(),
        emails(node),
        new Throttle(
            number(node, "apiRateLimit", d.apiThrottle().rateLimit()),
            wholeNumber(node, "apiBurstLimit", d.apiThrottle().burstLimit())));
  }

  /**
   * The deployment package of a function: a step's pipeline's own package ({@code
   * pipelines/<name>/target/stepwise-<name>.jar}, the core, the kit and that pipeline only) when it
   * is built, else the bundle's, which holds every pipeline; the core's functions always run the
   * bundle's.
   */
  public Path packageOf(Handler handler) {
    if (handler.pipeline() != null) {
      Path root = functionsJar.toAbsolutePath().getParent().getParent().getParent();
      Path own =
          root.resolve(
              Path.of(
                  "pipelines",
                  handler.pipeline(),
                  "target",
                  "stepwise-" + handler.pipeline() + ".jar"));
      if (Files.isRegularFile(own)) {
        return own;
      }
    }
    return functionsJar;
  }

  public StackConfig withAuth(Auth mode) {
    return new StackConfig(
        functionsJar, mode, models, httpApi, functionEnvironment, alarmEmails, apiThrottle);
  }

  /** Tokens of an external issuer, without telling the dashboard how to sign in there. */
  public StackConfig withJwt(String issuer, List<String> audience) {
    return withAuth(new Auth.External(issuer, audience, Optional.empty()));
  }

  public StackConfig withFunctionEnvironment(Map<String, String> environment) {
    return new StackConfig(
        functionsJar, auth, models, httpApi, environment, alarmEmails, apiThrottle);
  }

  public StackConfig withHttpApi(boolean enabled) {
    return new StackConfig(
        functionsJar, auth, models, enabled, functionEnvironment, alarmEmails, apiThrottle);
  }

  public StackConfig withAlarmEmails(List<String> emails) {
    return new StackConfig(
        functionsJar, auth, models, httpApi, functionEnvironment, emails, apiThrottle);
  }

  public StackConfig withApiThrottle(Throttle throttle) {
    return new StackConfig(
        functionsJar, auth, models, httpApi, functionEnvironment, alarmEmails, throttle);
  }

  /** {@code alertEmail} and {@code alarmEmail} (its older name) together, each address once. */
  static List<String> emails(Node node) {
    List<String> all = new java.util.ArrayList<>(list(text(node, "alertEmail", "")));
    list(text(node, "alarmEmail", "")).stream().filter(e -> !all.contains(e)).forEach(all::add);
    return List.copyOf(all);
  }

  static String text(Node node, String key, String fallback) {
    Object value = node.tryGetContext(key);
    return value == null ? fallback : value.toString().trim();
  }

  private static double number(Node node, String key, double fallback) {
    String value = text(node, key, "");
    try {
      return value.isEmpty() ? fallback : Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "context " + key + " must be a number, was '" + value + "'");
    }
  }

  private static int wholeNumber(Node node, String key, int fallback) {
    String value = text(node, key, "");
    try {
      return value.isEmpty() ? fallback : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "context " + key + " must be a whole number, was '" + value + "'");
    }
  }

  static List<String> list(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
