package io.stepwise.kit.publish;

/** A publish target. */
public interface Publisher {

  /** The task input's {@code publish.target} this serves: {@code mcp} or {@code webhook}. */
  String target();

  /**
   * Whether the target de-duplicates by our idempotency key, so an uncertain publish may be sent
   * again.
   */
  boolean honoursIdempotencyKey();

  /**
   * Publishes one post. A definite failure (nothing published) is a step error; a request sent
   * without an answer is a {@link PublishOutcomeUnknownException}.
   */
  Receipt publish(PostPayload post, String idempotencyKey);

  /** What the target said: its id for the post and a link, when it gave them. */
  record Receipt(String externalId, String url) {}
}
