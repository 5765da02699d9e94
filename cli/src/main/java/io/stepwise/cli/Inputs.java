package io.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Input fields typed by the named pipeline's schema ({@code GET /api/pipelines}), read only when
 * fields are given.
 */
final class Inputs {

  private Inputs() {}

  static ObjectNode of(
      CommandSpec spec, Api api, String pipeline, List<String> sets, List<String> fieldOptions) {
    List<String[]> pairs;
    try {
      pairs = Fields.pairs(sets, fieldOptions);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (pairs.isEmpty()) {
      return Api.JSON.createObjectNode();
    }
    JsonNode schema = Api.JSON.missingNode();
    for (JsonNode p : api.get("/api/pipelines").json()) {
      if (p.path("name").asText().equals(pipeline)) {
        schema = p.path("inputSchema");
      }
    }
    return Fields.object(pairs, schema);
  }
}
