package io.stepwise.batches;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/**
 * A batch as stored in its {@code BATCH#<batchId>/META} item: how many tasks it was created with
 * and a hash of the request, so a repeated request with the same Idempotency-Key can be told from a
 * different one. Its tasks carry the batch id and are found through the by-batch index.
 */
public record Batch(
    String batchId,
    int total,
    String requestHash,
    @Nullable String ownerId,
    Instant createdAt,
    Instant expiresAt) {}
