package io.stepwise.lambda;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * The EventBridge "Scheduled Event" a {@code rate(1 minute)} rule sends (source {@code
 * aws.events}). Only logged: the sweep does not depend on it, so a test or an operator may invoke
 * the function with {@code {}}.
 */
@Serdeable
public record ScheduledEvent(
    @Nullable String id,
    @Nullable @JsonProperty("detail-type") String detailType,
    @Nullable String source,
    @Nullable String time,
    @Nullable List<String> resources) {}
