package io.stepwise.infra;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app ({@code cdk.json} runs it): one stack, {@code Stepwise}, in the account and region
 * the CDK CLI resolves ({@code CDK_DEFAULT_ACCOUNT}/{@code CDK_DEFAULT_REGION});
 * environment-agnostic when they are unset. cdk-nag's AwsSolutions checks run on every synthesis
 * ({@link Nag}; {@code -c nag=false} skips them).
 */
public final class StepwiseApp {

  public static final String STACK_NAME = "Stepwise";

  private StepwiseApp() {}

  public static void main(String[] args) {
    App app = new App();
    if (Nag.enabled(app)) {
      Nag.check(app);
    }
    StackConfig config = StackConfig.fromContext(app.getNode());
    new StepwiseStack(app, STACK_NAME, StackProps.builder().env(environment()).build(), config);
    app.synth();
  }

  private static Environment environment() {
    String account = System.getenv("CDK_DEFAULT_ACCOUNT");
    String region = System.getenv("CDK_DEFAULT_REGION");
    if (account == null || region == null) {
      return null;
    }
    return Environment.builder().account(account).region(region).build();
  }
}
