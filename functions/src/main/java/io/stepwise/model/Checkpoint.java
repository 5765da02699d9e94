package io.stepwise.model;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/**
 * A step's successful output for one run ({@code TASK#<id>/STEP#<index>#<name>}). Only success
 * writes one; running and failed states live in the task item's step summary. {@code outputJson} is
 * already decoded (gzip and blob-store pointers are the store's business). {@code usage} is what
 * the output cost: the model calls the invocation that wrote it made, plus the kept items it reused
 * (what a later run that reads it does not pay again).
 */
public record Checkpoint(
    String step,
    String runId,
    String outputJson,
    Instant finishedAt,
    Instant expiresAt,
    @Nullable Usage usage) {

  public Checkpoint(
      String step, String runId, String outputJson, Instant finishedAt, Instant expiresAt) {
    this(step, runId, outputJson, finishedAt, expiresAt, null);
  }
}
