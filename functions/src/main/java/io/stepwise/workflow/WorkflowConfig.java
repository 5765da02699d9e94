package io.stepwise.workflow;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotBlank;

/** The state machine this deployment drives. */
@ConfigurationProperties("stepwise.workflow")
public record WorkflowConfig(@NotBlank String stateMachineArn) {}
