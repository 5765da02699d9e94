package io.stepwise.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepwise.model.Pipeline;
import io.stepwise.model.Pipelines;
import io.stepwise.model.Step;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dashboard knows pipelines only from {@code GET /api/pipelines} (DESIGN.md, "Pipelines as
 * modules"): its files name no pipeline and no step of one (the review step's name is the core's
 * and the API's word, see below). The shipped pipelines' names are listed here as well as read from
 * the class path, so the check still bites once those pipelines live in modules of their own.
 */
class DashboardNamesNoPipelineTest {

  private static final List<String> SHIPPED =
      List.of(
          "paper-digest",
          "research-report",
          "fetch_papers",
          "analyze",
          "render_images",
          "build_payload",
          "publish",
          "plan",
          "gather",
          "write_sections",
          "write_report",
          "deliver");

  @ParameterizedTest
  @ValueSource(strings = {"app.js", "index.html", "app.css"})
  void dashboardFile_namesNoPipelineOrStep(String file) throws IOException {
    String text = resource("dashboard/" + file);
    List<String> names = new ArrayList<>(SHIPPED);
    for (Pipeline p : Pipelines.installed().all()) {
      names.add(p.name());
      // a review step is the core's, named Step.REVIEW in every pipeline that has one: that word is
      // the API's own (a task's review field, POST /api/tasks/{id}/review), not a pipeline's step
      p.steps().stream().filter(s -> !s.isReview()).map(Step::name).forEach(names::add);
    }
    for (String name : names) {
      // as a word: "fetch_papers" or 'analyze', not "analyzer" or "publishing"
      assertThat(
              Pattern.compile("(?<![\\w-])" + Pattern.quote(name) + "(?![\\w-])")
                  .matcher(text)
                  .find())
          .as("%s names %s", file, name)
          .isFalse();
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in =
        DashboardNamesNoPipelineTest.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
