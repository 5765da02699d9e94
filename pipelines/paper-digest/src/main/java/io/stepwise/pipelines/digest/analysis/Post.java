package io.stepwise.pipelines.digest.analysis;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** One paper turned into post material by a model, with which model served it and why. */
@Serdeable
public record Post(
    String paperId,
    String title,
    String summary,
    List<String> keyPoints,
    List<String> tags,
    String language,
    String sourceTitle,
    String sourceUrl,
    String model,
    String modelReason) {}
