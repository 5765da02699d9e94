package io.stepwise.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * The state machine: statemachine.asl.json inline and unchanged, its {@code ${...}} placeholders substituted by
 * Step Functions with the {@code live} alias ARNs (so a SnapStart snapshot serves every step). Its role may
 * invoke those aliases and nothing else of Lambda.
 */
final class Workflow extends Construct {

  private final StateMachine stateMachine;

  Workflow(Construct scope, WorkflowDefinition definition, Map<Handler, StepwiseFunction> functions) {
    super(scope, "Workflow");
    Map<String, String> substitutions = substitutions(definition, functions);
    Role role =
        Role.Builder.create(this, "Role").assumedBy(new ServicePrincipal("states.amazonaws.com")).build();
    role.addToPolicy(
        PolicyStatement.Builder.create()
            .effect(Effect.ALLOW)
            .actions(List.of("lambda:InvokeFunction"))
            .resources(List.copyOf(substitutions.values()))
            .build());
    stateMachine =
        StateMachine.Builder.create(this, "StateMachine")
            .definitionBody(DefinitionBody.fromString(definition.text()))
            .definitionSubstitutions(substitutions)
            .stateMachineType(StateMachineType.STANDARD)
            .role(role)
            .tracingEnabled(true)
            // Every state transition (a few lines per step, searchable after the 90 days of execution history):
            // the audit trail of which step ran, retried and failed. Execution data holds only ids here, but off
            // by default: a future step could log more.
            .logs(
                LogOptions.builder()
                    .destination(LogGroup.Builder.create(this, "Logs").retention(StepwiseFunction.LOG_RETENTION).build())
                    .level(LogLevel.ALL)
                    .includeExecutionData(false)
                    .build())
            .build();
    // CDK adds the logging and tracing statement to this role's default policy.
    Nag.acknowledgeWildcardResource(role, "*",
        "Resource * only in the statement CDK adds for execution logging and X-Ray tracing: the CloudWatch Logs "
            + "log-delivery actions (CreateLogDelivery, GetLogDelivery, ...) and xray:PutTraceSegments, "
            + "PutTelemetryRecords, GetSamplingRules and GetSamplingTargets support no resource-level permissions. "
            + "StepwiseStackIamTest checks that no other action has resource *.");
  }

  /** Every placeholder of the definition to the alias ARN of the function its Task state invokes. */
  static Map<String, String> substitutions(
      WorkflowDefinition definition, Map<Handler, StepwiseFunction> functions) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Handler handler : Handler.invokedByStateMachine()) {
      values.put(handler.placeholder().orElseThrow(), functions.get(handler).alias().getFunctionArn());
    }
    if (!values.keySet().equals(definition.placeholders())) {
      throw new IllegalStateException(
          "the definition's placeholders " + definition.placeholders() + " differ from the functions' "
              + values.keySet() + ": a placeholder left unsubstituted would reach Step Functions as text");
    }
    return values;
  }

  StateMachine stateMachine() {
    return stateMachine;
  }
}
