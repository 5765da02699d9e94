package io.stepwise.kit.publish;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * What is known about publishing one post, stored before the call and after it: {@code attempting}
 * (sent or about to be, outcome unknown), {@code published} (confirmed), {@code failed} (confirmed
 * not published).
 */
@Serdeable
public record PublishRecord(
    String status,
    String runId,
    String idempotencyKey,
    String target,
    String at,
    @Nullable String externalId,
    @Nullable String url,
    @Nullable String detail) {

  public static final String ATTEMPTING = "attempting";
  public static final String PUBLISHED = "published";
  public static final String FAILED = "failed";
}
