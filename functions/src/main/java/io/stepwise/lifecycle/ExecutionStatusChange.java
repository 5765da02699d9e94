package io.stepwise.lifecycle;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The EventBridge event "Step Functions Execution Status Change" (source {@code aws.states}), as
 * AWS sends it. Fields this service does not use are ignored.
 */
@Serdeable
public record ExecutionStatusChange(
    @JsonProperty("detail-type") String detailType,
    String source,
    @Nullable String time,
    Detail detail) {

  /**
   * The {@code detail} object; dates are epoch milliseconds, {@code input} the execution input as
   * text.
   */
  @Serdeable
  public record Detail(
      String executionArn,
      @Nullable String stateMachineArn,
      String name,
      String status,
      @Nullable Long startDate,
      @Nullable Long stopDate,
      @Nullable String input,
      @Nullable String error,
      @Nullable String cause,
      @Nullable Integer redriveCount,
      @Nullable Long redriveDate,
      @Nullable String redriveStatus) {}
}
