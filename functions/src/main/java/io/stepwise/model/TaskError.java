package io.stepwise.model;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Why a step or task failed: the step (when known), the error type name, and a message safe to
 * show.
 */
@Serdeable
public record TaskError(@Nullable String step, String type, String message) {}
