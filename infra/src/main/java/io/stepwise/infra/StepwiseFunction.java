package io.stepwise.infra;

import io.stepwise.catalog.Handler;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.SystemLogLevel;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * One handler of the shaded jar as a Lambda function: java21 with SnapStart on published versions,
 * the alias {@code live} that every caller uses (a SnapStart snapshot exists only for versions,
 * never for $LATEST), JSON logs into its own log group with a retention, and a role that starts
 * with nothing but writing that log group.
 */
public final class StepwiseFunction extends Construct {

  public static final String ALIAS = "live";
  static final RetentionDays LOG_RETENTION = RetentionDays.ONE_MONTH;

  /**
   * Why every function stays on java21 although aws-cdk-lib knows a newer Java runtime (cdk-nag
   * AwsSolutions-L1).
   */
  static final String RUNTIME_REASON =
      "java21 is the runtime the design pins for every function (docs/architecture.md, Build facts): the shaded jar is built "
          + "for Java 17 with Micronaut 4.10, and SnapStart priming and the cold-start figures in the README were "
          + "made on it. java21 is a supported LTS runtime; moving to java25 is its own change, measured again, "
          + "not a lint fix.";

  private final Function function;
  private final Alias alias;
  private final Role role;

  public StepwiseFunction(
      Construct scope,
      Handler handler,
      Code code,
      int timeoutSeconds,
      Map<String, String> environment) {
    super(scope, handler.functionName());
    LogGroup logs = LogGroup.Builder.create(this, "Logs").retention(LOG_RETENTION).build();
    // Our own role instead of the default one: AWSLambdaBasicExecutionRole would allow every log
    // group ("*").
    role =
        Role.Builder.create(this, "Role")
            .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
            .description("Stepwise " + handler.functionName() + ": least privilege")
            .build();
    role.addToPolicy(
        PolicyStatement.Builder.create()
            .effect(Effect.ALLOW)
            .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
            .resources(List.of(logs.getLogGroupArn()))
            .build());
    function =
        Function.Builder.create(this, "Function")
            .runtime(Runtime.JAVA_21)
            .handler(handler.className())
            .code(code)
            .memorySize(handler.memoryMb())
            .timeout(Duration.seconds(timeoutSeconds))
            .role(role)
            .environment(environment)
            .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
            .loggingFormat(LoggingFormat.JSON)
            .applicationLogLevelV2(ApplicationLogLevel.INFO)
            .systemLogLevelV2(SystemLogLevel.WARN)
            .logGroup(logs)
            .build();
    // The warning says SnapStart needs a published version: the live alias below publishes one per
    // code change.
    Annotations.of(function)
        .acknowledgeWarning(
            "@aws-cdk/aws-lambda:snapStartRequirePublish", "the live alias publishes a version");
    Nag.acknowledge(function, "L1", RUNTIME_REASON);
    alias =
        Alias.Builder.create(this, "Live")
            .aliasName(ALIAS)
            .version(function.getCurrentVersion())
            .build();
  }

  public Function function() {
    return function;
  }

  /** What every trigger and the state machine invoke. */
  public Alias alias() {
    return alias;
  }

  public Role role() {
    return role;
  }

  public void allow(PolicyStatement statement) {
    role.addToPolicy(statement);
  }

  /**
   * Allows actions on every resource matching a pattern with a wildcard, for resources named only
   * at run time (objects, executions), and acknowledges cdk-nag's IAM5 finding for exactly that
   * pattern with the reason no narrower ARN can be written. Another wildcard in this role's
   * policies stays a finding.
   */
  public void allowPattern(List<String> actions, String resourcePattern, String reason) {
    role.addToPolicy(
        PolicyStatement.Builder.create()
            .effect(Effect.ALLOW)
            .actions(actions)
            .resources(List.of(resourcePattern))
            .build());
    Nag.acknowledgeWildcardResource(role, resourcePattern, reason);
  }
}
