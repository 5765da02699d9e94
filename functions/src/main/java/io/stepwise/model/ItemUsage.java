package io.stepwise.model;

/**
 * What the calls for one kept item cost, and which execution of its step made them (see {@link
 * StepUsage#through()}).
 */
public record ItemUsage(Usage usage, int execution) {}
