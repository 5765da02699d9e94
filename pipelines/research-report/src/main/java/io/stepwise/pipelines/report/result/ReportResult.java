package io.stepwise.pipelines.report.result;

import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.stepwise.model.TaskRecord;
import io.stepwise.pipelines.report.ResearchReport;
import io.stepwise.pipelines.report.deliver.Delivery;
import io.stepwise.pipelines.report.deliver.ReportDocument;
import io.stepwise.pipelines.report.gather.Sources;
import io.stepwise.pipelines.report.plan.Plan;
import io.stepwise.pipelines.report.writing.Citations;
import io.stepwise.pipelines.report.writing.ReportDraft;
import io.stepwise.tasks.PipelineResult;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The report's result: its title and {@code ##} sections as write_report wrote them (in the task's
 * language), each with the papers it cites, and links to the delivered Markdown and HTML. The two
 * files are served by the core's image route ({@code /api/tasks/{id}/images/report.md}, {@code
 * report.html}) with their own content types.
 */
@Singleton
@Named(ResearchReport.NAME)
public class ReportResult implements PipelineResult {

  static final String MARKDOWN = "report.md";
  static final String HTML = "report.html";

  private final JsonMapper json;

  public ReportResult(JsonMapper json) {
    this.json = json;
  }

  /** {@code GET /api/tasks/{id}/result} of a report task. */
  @Serdeable
  public record Result(
      String title,
      String language,
      List<Section> sections,
      String markdownUrl,
      String htmlUrl,
      String model) {}

  /** One section of the report and the papers it cites. */
  @Serdeable
  public record Section(String heading, String text, List<Citation> citations) {}

  /** A cited paper: its number in the report, title and link. */
  @Serdeable
  public record Citation(int n, String title, String url) {}

  @Override
  public Result result(TaskRecord task, UnaryOperator<String> fileUrl) {
    ReportDraft report =
        PipelineResult.requiredOutput(json, task, ResearchReport.WRITE_REPORT, ReportDraft.class);
    Sources sources =
        PipelineResult.requiredOutput(json, task, ResearchReport.GATHER, Sources.class);
    PipelineResult.requiredOutput(json, task, ResearchReport.DELIVER, Delivery.class);
    String title =
        ReportDocument.title(
            report.markdown(),
            PipelineResult.requiredOutput(json, task, ResearchReport.PLAN, Plan.class).title());
    Map<Integer, Sources.Source> byNumber =
        sources.all().stream().collect(Collectors.toMap(Sources.Source::n, s -> s));
    List<Section> sections =
        ReportDocument.sections(report.markdown()).stream()
            .map(
                s ->
                    new Section(
                        s.heading(),
                        s.text(),
                        Citations.in(s.text(), new HashSet<>(byNumber.keySet())).stream()
                            .map(byNumber::get)
                            .map(c -> new Citation(c.n(), c.title(), c.url()))
                            .toList()))
            .toList();
    return new Result(
        title,
        report.language(),
        sections,
        fileUrl.apply(MARKDOWN),
        fileUrl.apply(HTML),
        report.model());
  }

  @Override
  public Optional<Image> image(TaskRecord task, String name) {
    Optional<Delivery> delivery =
        PipelineResult.output(json, task, ResearchReport.DELIVER, Delivery.class);
    return switch (name) {
      case MARKDOWN ->
          delivery.map(d -> new Image(d.markdownKey(), "text/markdown; charset=utf-8"));
      case HTML -> delivery.map(d -> new Image(d.htmlKey(), "text/html; charset=utf-8"));
      default -> Optional.empty();
    };
  }
}
