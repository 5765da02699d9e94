package io.stepwise.alerts;

import io.micronaut.core.annotation.Nullable;

/**
 * One rule's figure at one evaluation: its value (null when there is nothing to judge, e.g. no task
 * succeeded in the window), its threshold, and whether the value breaches it.
 */
public record Reading(AlertRule rule, @Nullable Double value, double threshold, boolean breached) {}
