package io.stepwise.model;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/**
 * A step's successful output for one run ({@code TASK#<id>/STEP#<index>#<name>}). Only success
 * writes one; running and failed states live in the task item's step summary. {@code outputJson} is
 * already decoded (gzip and blob-store pointers are the store's business). {@code usage} is what
 * the output cost: the model calls the invocation that wrote it made, plus the kept items it reused
 * (what a later run that reads it does not pay again). {@code edits}: the people who replaced the
 * output since the run wrote it, oldest first (empty: as the run wrote it).
 */
public record Checkpoint(
    String step,
    String runId,
    String outputJson,
    Instant finishedAt,
    Instant expiresAt,
    @Nullable Usage usage,
    java.util.List<Edit> edits) {

  /**
   * A person replaced the output ({@code PUT /api/tasks/{id}/steps/{step}/output}): who and when.
   * The output the run wrote stays readable under the run ({@code ?run=}).
   */
  public record Edit(@Nullable String by, Instant at) {}

  public Checkpoint {
    edits = edits == null ? java.util.List.of() : java.util.List.copyOf(edits);
  }

  public Checkpoint(
      String step,
      String runId,
      String outputJson,
      Instant finishedAt,
      Instant expiresAt,
      @Nullable Usage usage) {
    this(step, runId, outputJson, finishedAt, expiresAt, usage, java.util.List.of());
  }

  public Checkpoint(
      String step, String runId, String outputJson, Instant finishedAt, Instant expiresAt) {
    this(step, runId, outputJson, finishedAt, expiresAt, null);
  }
}
