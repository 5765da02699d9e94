package io.stepwise.health;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * What one sweep did: models probed, results written (fewer than probed when another sweep won the
 * race), models skipped because a result younger than the minimum gap existed ({@code fresh}, named
 * in {@code notProbed}), and every model's state afterwards.
 */
@Serdeable
public record SweepReport(
    Instant startedAt,
    long durationMs,
    int probed,
    int written,
    int fresh,
    List<String> notProbed,
    List<ModelHealth> models) {}
