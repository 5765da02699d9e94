package io.stepwise.lifecycle;

import io.micronaut.serde.annotation.Serdeable;

/**
 * What the event handlers return: whether the task changed (false for a stale, repeated or foreign
 * event).
 */
@Serdeable
public record HandlerResult(boolean changed) {}
