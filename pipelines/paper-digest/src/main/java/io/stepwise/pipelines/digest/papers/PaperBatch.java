package io.stepwise.pipelines.digest.papers;

import io.micronaut.serde.annotation.Serdeable;
import io.stepwise.kit.papers.Paper;
import java.util.List;

/**
 * Output of fetch_papers: the de-duplicated papers, newest first, and the query that found them.
 */
@Serdeable
public record PaperBatch(String source, String query, List<Paper> papers) {}
