package io.stepwise.kit.papers;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * One paper, whichever source it came from. {@code id} is the arXiv id without version, e.g.
 * 2411.10001.
 */
@Serdeable
public record Paper(
    String id,
    String title,
    List<String> authors,
    @JsonProperty("abstract") String abstractText,
    Links links,
    @Nullable String published,
    List<String> categories,
    String source) {

  /** Where to read it. */
  @Serdeable
  public record Links(String abs, @Nullable String pdf) {}
}
