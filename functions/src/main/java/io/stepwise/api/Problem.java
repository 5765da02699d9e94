package io.stepwise.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;

/**
 * An RFC 9457 problem body ({@code application/problem+json}). This API's extensions: {@code
 * earliestStep}, the step a refused retry can start from; {@code violations}, every rule an edited
 * step output breaks.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    @Nullable @JsonInclude(JsonInclude.Include.NON_NULL) String earliestStep,
    @Nullable @JsonInclude(JsonInclude.Include.NON_NULL) java.util.List<String> violations) {

  public static final String MEDIA_TYPE = "application/problem+json";

  public static Problem of(HttpStatus status, String detail) {
    return new Problem("about:blank", status.getReason(), status.getCode(), detail, null, null);
  }

  public Problem withEarliestStep(String step) {
    return new Problem(type, title, status, detail, step, violations);
  }

  public Problem withViolations(java.util.List<String> broken) {
    return new Problem(type, title, status, detail, earliestStep, java.util.List.copyOf(broken));
  }
}
