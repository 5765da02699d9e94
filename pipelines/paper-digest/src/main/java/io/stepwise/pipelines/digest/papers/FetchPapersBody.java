package io.stepwise.pipelines.digest.papers;

import io.stepwise.kit.papers.Paper;
import io.stepwise.kit.papers.PaperSource;
import io.stepwise.pipelines.digest.DigestInput;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.steps.StepBody;
import io.stepwise.steps.StepContext;
import io.stepwise.steps.errors.TerminalStepException;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** fetch_papers: recent papers from the task's source, de-duplicated by arXiv id. */
@Singleton
@Named(PaperDigest.FETCH_PAPERS_BODY)
public class FetchPapersBody implements StepBody {

  private final Map<String, PaperSource> sources = new LinkedHashMap<>();

  public FetchPapersBody(List<PaperSource> sources) {
    sources.forEach(s -> this.sources.put(s.name(), s));
  }

  @Override
  public PaperBatch run(StepContext context) {
    var input = context.input(DigestInput.class);
    PaperSource source = sources.get(input.source());
    if (source == null) {
      throw new TerminalStepException(
          "unknown paper source '" + input.source() + "'; known: " + sources.keySet());
    }
    PaperSource.Result result = source.fetch(input.query(), input.maxPapers());
    Map<String, Paper> unique = new LinkedHashMap<>();
    result.papers().forEach(p -> unique.putIfAbsent(p.id(), p));
    if (unique.isEmpty()) {
      throw new TerminalStepException(
          "no papers matched " + result.query() + "; widen the query (days, categories, keywords)");
    }
    return new PaperBatch(source.name(), result.query(), new ArrayList<>(unique.values()));
  }
}
