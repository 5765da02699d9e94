package io.stepwise.pipelines.report.writing;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** Output of write_sections: one draft per planned section, in the plan's order. */
@Serdeable
public record SectionDrafts(List<Draft> sections) {

  /**
   * A section's draft, the report numbers of the papers it cites, and which model wrote it and why.
   */
  @Serdeable
  public record Draft(
      int index,
      String heading,
      String text,
      List<Integer> citations,
      String model,
      String modelReason) {}
}
