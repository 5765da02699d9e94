package io.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A request the API refused or could not answer, printed as one line. The exit code says which:
 * {@link Stepwise#EXIT_REFUSED} for a 4xx problem, {@link Stepwise#EXIT_UNAVAILABLE} for a 5xx or
 * no answer.
 */
class ApiProblem extends RuntimeException {

  private final int status;
  private final List<String> violations;

  ApiProblem(int status, String message) {
    this(status, message, List.of());
  }

  ApiProblem(int status, String message, List<String> violations) {
    super(message);
    this.status = status;
    this.violations = List.copyOf(violations);
  }

  /**
   * Every rule a refused edit broke (a 422's {@code violations}), each printed on a line of its
   * own.
   */
  List<String> violations() {
    return violations;
  }

  /**
   * From an {@code application/problem+json} body ({@code status, title, detail}) or whatever came
   * back.
   */
  static ApiProblem of(String method, String path, int status, JsonNode body) {
    String title = body.path("title").asText("");
    String detail = body.path("detail").asText(body.path("message").asText(""));
    if (title.isEmpty() && detail.isEmpty() && body.isTextual()) {
      detail = body.asText();
    }
    StringBuilder line = new StringBuilder().append(status);
    if (!title.isEmpty()) {
      line.append(' ').append(title);
    }
    if (!detail.isEmpty() && !detail.equals(title)) {
      line.append(title.isEmpty() ? " " : ": ").append(detail.replaceAll("\\s+", " ").strip());
    }
    line.append(" (").append(method).append(' ').append(path).append(')');
    List<String> violations = new ArrayList<>();
    body.path("violations").forEach(v -> violations.add(v.asText()));
    return new ApiProblem(status, line.toString(), violations);
  }

  int exitCode() {
    return status >= 400 && status < 500 ? Stepwise.EXIT_REFUSED : Stepwise.EXIT_UNAVAILABLE;
  }

  /** No HTTP answer at all: connection refused, DNS, timeout. */
  static final class Unreachable extends ApiProblem {
    Unreachable(URI api, Exception cause) {
      super(
          0,
          "cannot reach the Stepwise API at "
              + api
              + ": "
              + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage())
              + " (set --api or STEPWISE_API)");
    }
  }
}
