package io.stepwise.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;

/**
 * An RFC 9457 problem body ({@code application/problem+json}). {@code earliestStep} is this API's
 * extension: the step a refused retry can start from.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    @Nullable @JsonInclude(JsonInclude.Include.NON_NULL) String earliestStep) {

  public static final String MEDIA_TYPE = "application/problem+json";

  public static Problem of(HttpStatus status, String detail) {
    return new Problem("about:blank", status.getReason(), status.getCode(), detail, null);
  }

  public Problem withEarliestStep(String step) {
    return new Problem(type, title, status, detail, step);
  }
}
