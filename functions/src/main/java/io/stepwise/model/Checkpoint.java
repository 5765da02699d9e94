package io.stepwise.model;

import java.time.Instant;

/**
 * A step's successful output for one run ({@code TASK#<id>/STEP#<index>#<name>}). Only success
 * writes one; running and failed states live in the task item's step summary. {@code outputJson} is
 * already decoded (gzip and blob-store pointers are the store's business).
 */
public record Checkpoint(
    String step, String runId, String outputJson, Instant finishedAt, Instant expiresAt) {}
