package io.stepwise.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Role;
import software.constructs.IConstruct;

/**
 * cdk-nag's AwsSolutions rules for this app, and the only way its code acknowledges one of their
 * findings: on the resource the finding is about, with the reason it cannot or should not be fixed,
 * and for a wildcard of IAM5 only that one resource pattern. Never on the stack: a new resource
 * must pass the rules, or say here why not.
 *
 * <p>{@link StepwiseApp} runs the checks on every synthesis, so {@code cdk synth} and {@code cdk
 * deploy} stop on an unacknowledged finding (an error annotation); {@code -c nag=false} skips them.
 * AwsSolutionsNagTest runs the same checks on every configuration the tests know.
 */
public final class Nag {

  public static final String PACK = "AwsSolutions";

  /** Context key: {@code false} synthesises without the checks. */
  public static final String CONTEXT_KEY = "nag";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Nag() {}

  /** Adds the AwsSolutions checks to every resource under the scope (the app). */
  public static void check(IConstruct scope) {
    Aspects.of(scope).add(checks(false));
  }

  /** Whether the app's context asks for the checks (anything but {@code false}). */
  public static boolean enabled(IConstruct scope) {
    Object value = scope.getNode().tryGetContext(CONTEXT_KEY);
    return value == null || !"false".equalsIgnoreCase(value.toString().trim());
  }

  /**
   * The pack; with {@code logSuppressed}, each acknowledged finding is an info annotation (tests
   * read them).
   */
  static AwsSolutionsChecks checks(boolean logSuppressed) {
    return new AwsSolutionsChecks(
        NagPackProps.builder().verbose(true).logIgnores(logSuppressed).build());
  }

  /**
   * Acknowledges a rule (e.g. {@code "L1"}) on one resource: an L1 resource, or the resource an L2
   * construct wraps.
   */
  static void acknowledge(IConstruct resource, String rule, String reason) {
    NagSuppressions.addResourceSuppressions(
        resource,
        List.of(NagPackSuppression.builder().id(PACK + "-" + rule).reason(reason).build()),
        false);
  }

  /**
   * Acknowledges IAM5 for one wildcard resource in a role's default policy, and for no other
   * wildcard: {@code resource} is the value the statement names, e.g. {@code
   * bucket.arnForObjects("*")}. Call it once the statement is in the policy.
   */
  static void acknowledgeWildcardResource(Role role, String resource, String reason) {
    IConstruct policy = role.getNode().tryFindChild("DefaultPolicy");
    if (policy == null) {
      throw new IllegalStateException(
          role.getNode().getPath() + " has no policy yet: add the statement first");
    }
    NagSuppressions.addResourceSuppressions(
        policy,
        List.of(
            NagPackSuppression.builder()
                .id(PACK + "-IAM5")
                .appliesTo(List.of(wildcardFinding(role, resource)))
                .reason(reason)
                .build()),
        false);
  }

  /**
   * The finding IAM5 reports for a resource: {@code Resource::} and the value with its references
   * flattened.
   */
  static String wildcardFinding(IConstruct scope, String resource) {
    return "Resource::" + flatten(Stack.of(scope).resolve(resource));
  }

  /**
   * cdk-nag's own flattening of a CloudFormation value (utils/flatten-cfn-reference): {@code Ref}
   * and {@code Fn::GetAtt} become {@code <Id>} and {@code <Id.Attribute>}, {@code Fn::Join} is
   * joined, anything else is its JSON.
   */
  static String flatten(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof String text) {
      return text.replace("${", "<").replace("}", ">");
    }
    if (value instanceof Map<?, ?> map) {
      if (map.get("Fn::Join") instanceof List<?> join
          && join.size() == 2
          && join.get(1) instanceof List<?> parts) {
        return parts.stream()
            .map(Nag::flatten)
            .collect(Collectors.joining(String.valueOf(join.get(0))));
      }
      if (map.containsKey("Fn::Sub")) {
        return flatten(map.get("Fn::Sub"));
      }
      if (map.get("Fn::GetAtt") instanceof List<?> getAtt && getAtt.size() == 2) {
        return "<" + flatten(getAtt.get(0)) + "." + flatten(getAtt.get(1)) + ">";
      }
      if (map.containsKey("Fn::ImportValue")) {
        return flatten(map.get("Fn::ImportValue"));
      }
      if (map.containsKey("Ref")) {
        return "<" + flatten(map.get("Ref")) + ">";
      }
    }
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot flatten " + value, e);
    }
  }
}
