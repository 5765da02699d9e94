package io.stepwise.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpUserPoolAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AuthFlow;
import software.amazon.awscdk.services.cognito.AutoVerifiedAttrs;
import software.amazon.awscdk.services.cognito.CfnUserPoolGroup;
import software.amazon.awscdk.services.cognito.CognitoDomainOptions;
import software.amazon.awscdk.services.cognito.FeaturePlan;
import software.amazon.awscdk.services.cognito.Mfa;
import software.amazon.awscdk.services.cognito.MfaSecondFactor;
import software.amazon.awscdk.services.cognito.OAuthFlows;
import software.amazon.awscdk.services.cognito.OAuthScope;
import software.amazon.awscdk.services.cognito.OAuthSettings;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.StandardThreatProtectionMode;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientIdentityProvider;
import software.amazon.awscdk.services.cognito.UserPoolClientOptions;
import software.amazon.awscdk.services.cognito.UserPoolDomain;
import software.amazon.awscdk.services.cognito.UserPoolDomainOptions;
import software.constructs.Construct;

/**
 * Sign-in for the dashboard and the API when the stack is its own issuer ({@link Auth.Cognito}): a
 * user pool that only an administrator adds users to, its hosted sign-in pages on a Cognito domain,
 * the dashboard's public app client (authorization code with PKCE, no secret: the page cannot keep
 * one) and the operator group the api function recognises.
 */
final class SignIn extends Construct {

  /**
   * The group whose members see and act on every task (the api function's {@code
   * STEPWISE_OPERATOR_GROUP}).
   */
  static final String OPERATOR_GROUP = "stepwise-operators";

  private final UserPool userPool;
  private final UserPoolDomain domain;
  private final UserPoolClient client;

  /**
   * @param dashboardUrl where the hosted pages send the browser back to after sign-in and sign-out:
   *     the API's {@code /}, which serves the dashboard
   */
  SignIn(Construct scope, Auth.Cognito config, String dashboardUrl) {
    super(scope, "SignIn");
    userPool =
        UserPool.Builder.create(this, "UserPool")
            .selfSignUpEnabled(false)
            .signInAliases(SignInAliases.builder().email(true).build())
            .signInCaseSensitive(false)
            .autoVerify(AutoVerifiedAttrs.builder().email(true).build())
            .accountRecovery(AccountRecovery.EMAIL_ONLY)
            .passwordPolicy(
                PasswordPolicy.builder()
                    .minLength(12)
                    .requireLowercase(true)
                    .requireUppercase(true)
                    .requireDigits(true)
                    .requireSymbols(true)
                    .tempPasswordValidity(Duration.days(3))
                    .build())
            // A second factor from an authenticator app, set up on the first sign-in: no SMS role
            // or SES identity to
            // configure, and nothing a SIM swap takes over.
            .mfa(Mfa.REQUIRED)
            .mfaSecondFactor(MfaSecondFactor.builder().otp(true).sms(false).email(false).build())
            // Threat protection (compromised-credential and risky-sign-in responses, cdk-nag
            // AwsSolutions-COG3) is a
            // Plus-plan feature:
            // https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-threat-protection.html
            .featurePlan(FeaturePlan.PLUS)
            .standardThreatProtectionMode(StandardThreatProtectionMode.FULL_FUNCTION)
            // The users are the operators' colleagues: losing the pool with a stack deletion would
            // lock them all out.
            .deletionProtection(true)
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    domain =
        userPool.addDomain(
            "Domain",
            UserPoolDomainOptions.builder()
                .cognitoDomain(
                    CognitoDomainOptions.builder().domainPrefix(domainPrefix(config)).build())
                .build());
    List<String> callbacks = new ArrayList<>();
    callbacks.add(dashboardUrl);
    callbacks.addAll(config.extraCallbackUrls());
    client =
        userPool.addClient(
            "DashboardClient",
            UserPoolClientOptions.builder()
                .generateSecret(false)
                // SRP for the hosted pages' password step and refresh tokens; no plain-password or
                // custom flow.
                .authFlows(AuthFlow.builder().userSrp(true).build())
                // Only the code grant; PKCE is per request (code_challenge), which Cognito checks
                // at the token endpoint:
                // https://docs.aws.amazon.com/cognito/latest/developerguide/using-pkce-in-authorization-code.html
                .oAuth(
                    OAuthSettings.builder()
                        .flows(
                            OAuthFlows.builder()
                                .authorizationCodeGrant(true)
                                .implicitCodeGrant(false)
                                .clientCredentials(false)
                                .build())
                        .scopes(List.of(OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE))
                        .callbackUrls(callbacks)
                        .logoutUrls(callbacks)
                        .build())
                .supportedIdentityProviders(List.of(UserPoolClientIdentityProvider.COGNITO))
                .preventUserExistenceErrors(true)
                .enableTokenRevocation(true)
                .accessTokenValidity(Duration.hours(1))
                .idTokenValidity(Duration.hours(1))
                .refreshTokenValidity(Duration.days(1))
                .build());
    CfnUserPoolGroup.Builder.create(this, "Operators")
        .userPoolId(userPool.getUserPoolId())
        .groupName(OPERATOR_GROUP)
        .description("Stepwise operators: see and act on every user's tasks and batches")
        .build();
  }

  /**
   * The explicit prefix, or one derived from the stack's name and account: {@code
   * stepwise-<account>} for the stack {@code Stepwise}. Cognito domain prefixes are unique per
   * region across all accounts, and the account id makes this one ours; a second stack of the same
   * name in the same account and region passes its own prefix. The account is a token until
   * deployment ({@code AWS::AccountId}), so the prefix is joined in CloudFormation.
   */
  private String domainPrefix(Auth.Cognito config) {
    if (!config.domainPrefix().isEmpty()) {
      return config.domainPrefix();
    }
    String name =
        Stack.of(this)
            .getStackName()
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "-")
            .replaceAll("^-+|-+$", "");
    return Fn.join("-", List.of(name.isEmpty() ? "stepwise" : name, Aws.ACCOUNT_ID));
  }

  /**
   * The API's JWT authorizer for this pool: issuer {@code
   * https://cognito-idp.<region>.amazonaws.com/<pool id>}, audience the dashboard client's id.
   * Cognito access tokens carry no {@code aud}; API Gateway then matches their {@code client_id}
   * against the audience:
   * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-jwt.html
   */
  IHttpRouteAuthorizer authorizer() {
    return HttpUserPoolAuthorizer.Builder.create("Jwt", userPool)
        .userPoolClients(List.of(client))
        .build();
  }

  /** The dashboard's sign-in against the hosted pages of this pool's domain. */
  Auth.DashboardSignIn dashboard() {
    String base = domain.baseUrl();
    return new Auth.DashboardSignIn(
        base + "/oauth2/authorize",
        base + "/oauth2/token",
        client.getUserPoolClientId(),
        Auth.DashboardSignIn.DEFAULT_SCOPE,
        base + "/logout");
  }

  UserPool userPool() {
    return userPool;
  }

  UserPoolClient client() {
    return client;
  }

  /** {@code https://<prefix>.auth.<region>.amazoncognito.com}. */
  String domainUrl() {
    return domain.baseUrl();
  }
}
