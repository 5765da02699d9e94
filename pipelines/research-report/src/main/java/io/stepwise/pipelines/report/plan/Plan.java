package io.stepwise.pipelines.report.plan;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * Output of plan: the report's working title and its sections, each with a question and search
 * keywords.
 */
@Serdeable
public record Plan(String title, List<Section> sections, String model, String modelReason) {

  /** One planned section. */
  @Serdeable
  public record Section(String heading, String question, List<String> keywords) {}
}
