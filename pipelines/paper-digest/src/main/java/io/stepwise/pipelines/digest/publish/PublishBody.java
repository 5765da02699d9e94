package io.stepwise.pipelines.digest.publish;

import io.stepwise.kit.publish.PostPayload;
import io.stepwise.kit.publish.PublishOutcomeUnknownException;
import io.stepwise.kit.publish.PublishRecord;
import io.stepwise.kit.publish.Publisher;
import io.stepwise.model.Times;
import io.stepwise.pipelines.digest.DigestInput;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.pipelines.digest.payload.Payloads;
import io.stepwise.steps.StepBody;
import io.stepwise.steps.StepContext;
import io.stepwise.steps.errors.StepException;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.steps.errors.TransientStepException;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * publish: each post once, ever. Before each call the step stores an {@code attempting} record
 * (kept as long as the task), after it the outcome. On a re-run (retry, redrive, crash):
 *
 * <ul>
 *   <li>published → the stored receipt is returned, nothing is sent;
 *   <li>attempting (sent, no answer) → re-sent only if the target honours our idempotency key;
 *       otherwise the step fails terminally asking the operator to check the target. An explicit
 *       retry of the task (a new run) after that is the operator's confirmation that the post is
 *       not there, and sends it again.
 * </ul>
 *
 * The idempotency key is {@code <taskId>:<postKey>}, the same across runs.
 */
@Singleton
@Named(PaperDigest.PUBLISH_BODY)
public class PublishBody implements StepBody {

  private final Map<String, Publisher> publishers = new LinkedHashMap<>();
  private final Clock clock;

  public PublishBody(List<Publisher> publishers, Clock clock) {
    publishers.forEach(p -> this.publishers.put(p.target(), p));
    this.clock = clock;
  }

  @Override
  public Publications run(StepContext context) {
    String target = context.input(DigestInput.class).publish().target();
    Payloads payloads = context.output(PaperDigest.BUILD_PAYLOAD, Payloads.class);
    List<Publications.Entry> entries = new ArrayList<>();
    if ("none".equals(target)) {
      payloads
          .posts()
          .forEach(p -> entries.add(new Publications.Entry(p.postKey(), "skipped", null, null)));
      return new Publications(target, entries);
    }
    Publisher publisher =
        Optional.ofNullable(publishers.get(target))
            .orElseThrow(
                () ->
                    new TerminalStepException(
                        "publish target '"
                            + target
                            + "' is not configured; configured: "
                            + publishers.keySet()));
    context.expectItems(payloads.posts().stream().map(PublishBody::itemKey).toList());
    for (PostPayload post : payloads.posts()) {
      entries.add(publishOnce(context, publisher, post));
    }
    return new Publications(target, entries);
  }

  /**
   * A post is published once per content: a retry or redrive finds it published and sends nothing,
   * while a post a person edited (or a rerun rewrote) is a new publication, with its own key.
   */
  private static String itemKey(PostPayload post) {
    return "publish:" + post.postKey() + ":" + fingerprint(post);
  }

  /** The first 8 bytes of SHA-256 over the post's title, body, images and tags, in hex. */
  static String fingerprint(PostPayload post) {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      for (String part :
          List.of(
              post.title(),
              post.body(),
              String.join("\n", post.images()),
              String.join("\n", post.tags()))) {
        sha.update(part.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return java.util.HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Publications.Entry publishOnce(
      StepContext context, Publisher publisher, PostPayload post) {
    String itemKey = itemKey(post);
    String key = context.taskId() + ":" + post.postKey() + ":" + fingerprint(post);
    Optional<PublishRecord> known = context.finishedItem(itemKey, PublishRecord.class);
    if (known.isPresent() && PublishRecord.PUBLISHED.equals(known.get().status())) {
      return new Publications.Entry(
          post.postKey(), "published", known.get().externalId(), known.get().url());
    }
    if (known.isPresent()
        && PublishRecord.ATTEMPTING.equals(known.get().status())
        && !publisher.honoursIdempotencyKey()
        && context.runId().equals(known.get().runId())) {
      throw uncertain(publisher, post, known.get());
    }
    context.keepDurably(
        itemKey, record(PublishRecord.ATTEMPTING, context, key, publisher, null, null));
    try {
      Publisher.Receipt receipt = publisher.publish(post, key);
      context.keepDurably(
          itemKey, record(PublishRecord.PUBLISHED, context, key, publisher, receipt, null));
      return new Publications.Entry(
          post.postKey(), "published", receipt.externalId(), receipt.url());
    } catch (PublishOutcomeUnknownException unknown) {
      PublishRecord pending =
          record(PublishRecord.ATTEMPTING, context, key, publisher, null, unknown.getMessage());
      context.keepDurably(itemKey, pending);
      if (publisher.honoursIdempotencyKey()) {
        throw new TransientStepException(
            unknown.getMessage() + "; safe to retry with the same idempotency key", unknown);
      }
      throw uncertain(publisher, post, pending);
    } catch (StepException definite) {
      context.keepDurably(
          itemKey,
          record(PublishRecord.FAILED, context, key, publisher, null, definite.getMessage()));
      throw definite;
    }
  }

  private PublishRecord record(
      String status,
      StepContext context,
      String key,
      Publisher publisher,
      Publisher.Receipt receipt,
      String detail) {
    return new PublishRecord(
        status,
        context.runId(),
        key,
        publisher.target(),
        Times.format(clock.instant()),
        receipt == null ? null : receipt.externalId(),
        receipt == null ? null : receipt.url(),
        detail);
  }

  private static TerminalStepException uncertain(
      Publisher publisher, PostPayload post, PublishRecord record) {
    return new TerminalStepException(
        "post "
            + post.postKey()
            + " may already be published to "
            + publisher.target()
            + " (sent at "
            + record.at()
            + ", no confirmation received). Check the target; if the post is not there, "
            + "retry the task from 'publish' to send it again.");
  }
}
