package io.stepwise.api;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;

/**
 * Tenancy settings: members of {@code operatorGroup} (claim {@code cognito:groups} or {@code
 * groups}) see and act on every caller's tasks and batches.
 */
@ConfigurationProperties("stepwise.auth")
public record AuthConfig(
    @Bindable(defaultValue = "stepwise-operators") @NotBlank String operatorGroup) {}
