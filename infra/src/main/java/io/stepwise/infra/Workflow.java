package io.stepwise.infra;

import io.stepwise.catalog.Handler;
import io.stepwise.model.Pipeline;
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
 * One pipeline's state machine: its ASL inline and unchanged, its {@code ${...}} placeholders
 * substituted by Step Functions with the {@code live} alias ARNs (so a SnapStart snapshot serves
 * every step). Its role may invoke the aliases of that pipeline's functions and record-failure, and
 * nothing else of Lambda; it logs into its own log group.
 */
final class Workflow extends Construct {

  /**
   * The pipeline deployed before there were several keeps the construct id {@code Workflow}, so an
   * update keeps its logical ids and with them its state machine (ARN, executions); every other is
   * {@code Workflow-<name>}.
   */
  static final String FIRST_PIPELINE = "paper-digest";

  private final Pipeline pipeline;
  private final StateMachine stateMachine;

  Workflow(
      Construct scope,
      Pipeline pipeline,
      WorkflowDefinition definition,
      List<Handler> invoked,
      Map<String, StepwiseFunction> functions) {
    super(scope, constructId(pipeline));
    this.pipeline = pipeline;
    Map<String, String> substitutions = substitutions(pipeline, definition, invoked, functions);
    Role role =
        Role.Builder.create(this, "Role")
            .assumedBy(new ServicePrincipal("states.amazonaws.com"))
            .build();
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
            // Every state transition (a few lines per step, searchable after the 90 days of
            // execution history):
            // the audit trail of which step ran, retried and failed. Execution data holds only ids
            // here, but off
            // by default: a future step could log more.
            .logs(
                LogOptions.builder()
                    .destination(
                        LogGroup.Builder.create(this, "Logs")
                            .retention(StepwiseFunction.LOG_RETENTION)
                            .build())
                    .level(LogLevel.ALL)
                    .includeExecutionData(false)
                    .build())
            .build();
    // CDK adds the logging and tracing statement to this role's default policy.
    Nag.acknowledgeWildcardResource(
        role,
        "*",
        "Resource * only in the statement CDK adds for execution logging and X-Ray tracing: the CloudWatch Logs "
            + "log-delivery actions (CreateLogDelivery, GetLogDelivery, ...) and xray:PutTraceSegments, "
            + "PutTelemetryRecords, GetSamplingRules and GetSamplingTargets support no resource-level permissions. "
            + "StepwiseStackIamTest checks that no other action has resource *.");
  }

  static String constructId(Pipeline pipeline) {
    return FIRST_PIPELINE.equals(pipeline.name()) ? "Workflow" : "Workflow-" + pipeline.name();
  }

  /**
   * Every placeholder of the pipeline's definition to the alias ARN of the function its Task state
   * invokes; the placeholders must be exactly those of the functions the catalogue says this
   * pipeline invokes.
   */
  static Map<String, String> substitutions(
      Pipeline pipeline,
      WorkflowDefinition definition,
      List<Handler> invoked,
      Map<String, StepwiseFunction> functions) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Handler handler : invoked) {
      values.put(
          handler.placeholder().orElseThrow(),
          functions.get(handler.functionName()).alias().getFunctionArn());
    }
    if (!values.keySet().equals(definition.placeholders())) {
      throw new IllegalStateException(
          "the placeholders of "
              + pipeline.aslFile()
              + " (pipeline "
              + pipeline.name()
              + ") "
              + definition.placeholders()
              + " differ from its functions' "
              + values.keySet()
              + ": a placeholder left unsubstituted would reach Step Functions as text");
    }
    return values;
  }

  Pipeline pipeline() {
    return pipeline;
  }

  StateMachine stateMachine() {
    return stateMachine;
  }
}
