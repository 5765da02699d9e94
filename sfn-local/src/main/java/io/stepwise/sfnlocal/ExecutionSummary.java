package io.stepwise.sfnlocal;

/**
 * One execution as {@link StepFunctionsEmulator#execution} sees it in-process: what
 * DescribeExecution would answer. {@code output}, {@code error} and {@code cause} are null until
 * the execution has them.
 */
public record ExecutionSummary(
    String executionArn,
    String stateMachineArn,
    String name,
    String input,
    String status,
    int redriveCount,
    String output,
    String error,
    String cause) {}
