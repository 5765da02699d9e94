package io.stepwise.workflow;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotNull;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The state machine of each pipeline this deployment drives, as {@code pipeline=arn} pairs
 * separated by commas ({@code STEPWISE_STATE_MACHINE_ARNS}): one environment variable however many
 * pipelines there are.
 */
@ConfigurationProperties("stepwise.workflow")
public record WorkflowConfig(@NotNull String stateMachineArns) {

  /** The configured ARN of each pipeline's state machine. */
  public Map<String, String> byPipeline() {
    Map<String, String> arns = new LinkedHashMap<>();
    for (String pair : stateMachineArns.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        arns.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
      }
    }
    return arns;
  }

  public Optional<String> arnOf(String pipeline) {
    return Optional.ofNullable(byPipeline().get(pipeline));
  }
}
