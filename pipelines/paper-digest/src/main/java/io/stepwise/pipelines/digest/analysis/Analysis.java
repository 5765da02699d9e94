package io.stepwise.pipelines.digest.analysis;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** Output of analyze: one post per paper, in the papers' order. */
@Serdeable
public record Analysis(String language, List<Post> posts) {}
