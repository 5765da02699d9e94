package io.stepwise.usage;

import java.util.Map;

/**
 * The calls of one model for one pipeline in one time bucket, as stored: counts, tokens, cost and
 * the answered calls' latency sketch ({@link LatencySketch}).
 */
public record UsageBucket(
    String pipeline,
    long calls,
    long successes,
    Map<String, Long> failures,
    long inputTokens,
    long outputTokens,
    double costUsd,
    long[] latency) {}
