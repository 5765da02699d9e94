package io.stepwise.pipelines.digest.publish;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** Output of publish: what happened to each post. */
@Serdeable
public record Publications(String target, List<Entry> posts) {

  /**
   * One post: {@code published} (now or by an earlier attempt) or {@code skipped} (target none).
   */
  @Serdeable
  public record Entry(
      String postKey, String status, @Nullable String externalId, @Nullable String url) {}
}
