package io.stepwise.pipelines.report.deliver;

import io.stepwise.blobs.BlobStore;
import io.stepwise.kit.publish.PostPayload;
import io.stepwise.kit.publish.PublishOutcomeUnknownException;
import io.stepwise.kit.publish.PublishRecord;
import io.stepwise.kit.publish.Publisher;
import io.stepwise.model.Times;
import io.stepwise.pipelines.report.ReportInput;
import io.stepwise.pipelines.report.ResearchReport;
import io.stepwise.pipelines.report.gather.Sources;
import io.stepwise.pipelines.report.plan.Plan;
import io.stepwise.pipelines.report.writing.Citations;
import io.stepwise.pipelines.report.writing.Fingerprint;
import io.stepwise.pipelines.report.writing.ReportDraft;
import io.stepwise.steps.StepBody;
import io.stepwise.steps.StepContext;
import io.stepwise.steps.errors.StepException;
import io.stepwise.steps.errors.TerminalStepException;
import io.stepwise.steps.errors.TransientStepException;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * deliver: the report as Markdown and HTML into the blob store (overwriting the same run's keys:
 * safe to repeat), then, for target {@code webhook}, the digest's webhook publisher under the
 * publish step's once-only rules: an {@code attempting} record is kept as long as the task before
 * the call and the outcome after it; a delivery already confirmed is never sent again. The
 * idempotency key is {@code <taskId>:report:<digest of the Markdown>}: the same report is one
 * delivery whatever the run, a rewritten one (a rerun in another language) a new one.
 */
@Singleton
@Named(ResearchReport.DELIVER_BODY)
public class DeliverBody implements StepBody {

  static final String MARKDOWN = "text/markdown; charset=utf-8";
  static final String HTML = "text/html; charset=utf-8";

  private final Optional<BlobStore> blobs;
  private final List<Publisher> publishers;
  private final Clock clock;

  public DeliverBody(Optional<BlobStore> blobs, List<Publisher> publishers, Clock clock) {
    this.blobs = blobs;
    this.publishers = publishers;
    this.clock = clock;
  }

  @Override
  public Delivery run(StepContext context) {
    BlobStore store =
        blobs.orElseThrow(
            () ->
                new TerminalStepException(
                    "no blob store is configured (stepwise.blobs.bucket or stepwise.blobs.dir)"));
    String target = context.input(ReportInput.class).deliver().target();
    Plan plan = context.output(ResearchReport.PLAN, Plan.class);
    Sources sources = context.output(ResearchReport.GATHER, Sources.class);
    ReportDraft report = context.output(ResearchReport.WRITE_REPORT, ReportDraft.class);
    var numbers = new HashSet<>(sources.all().stream().map(Sources.Source::n).toList());
    var cited = new HashSet<>(Citations.in(report.markdown(), numbers));
    String markdown =
        ReportDocument.markdown(
            report.markdown(),
            report.language(),
            sources.all().stream().filter(s -> cited.contains(s.n())).toList());
    String title = ReportDocument.title(report.markdown(), plan.title());
    String prefix = "reports/" + context.taskId() + "/" + context.runId() + "/";
    store.put(prefix + "report.md", markdown.getBytes(StandardCharsets.UTF_8), MARKDOWN);
    store.put(
        prefix + "report.html",
        ReportDocument.html(markdown, title, report.language()).getBytes(StandardCharsets.UTF_8),
        HTML);
    if ("none".equals(target)) {
      return new Delivery(
          prefix + "report.md", prefix + "report.html", target, "skipped", null, null);
    }
    Publisher publisher =
        publishers.stream()
            .filter(p -> p.target().equals(target))
            .findFirst()
            .orElseThrow(
                () ->
                    new TerminalStepException(
                        "deliver target '"
                            + target
                            + "' is not configured (stepwise.publish.webhook.url)"));
    PublishRecord sent =
        deliverOnce(
            context,
            publisher,
            new PostPayload("report", title, markdown, List.of(), List.of()),
            context.taskId() + ":report:" + Fingerprint.of(markdown));
    return new Delivery(
        prefix + "report.md",
        prefix + "report.html",
        target,
        "delivered",
        sent.externalId(),
        sent.url());
  }

  private PublishRecord deliverOnce(
      StepContext context, Publisher publisher, PostPayload report, String key) {
    String itemKey = "deliver:" + key;
    Optional<PublishRecord> known = context.finishedItem(itemKey, PublishRecord.class);
    if (known.isPresent() && "published".equals(known.get().status())) {
      return known.get();
    }
    if (known.isPresent()
        && "attempting".equals(known.get().status())
        && !publisher.honoursIdempotencyKey()) {
      throw new TerminalStepException(
          "the report may already be delivered to "
              + publisher.target()
              + " (sent at "
              + known.get().at()
              + ", no confirmation received). Check the target, then retry from 'deliver'.");
    }
    context.keepDurably(itemKey, record("attempting", context, key, publisher, null, null));
    try {
      Publisher.Receipt receipt = publisher.publish(report, key);
      PublishRecord done = record("published", context, key, publisher, receipt, null);
      context.keepDurably(itemKey, done);
      return done;
    } catch (PublishOutcomeUnknownException unknown) {
      context.keepDurably(
          itemKey, record("attempting", context, key, publisher, null, unknown.getMessage()));
      throw new TransientStepException(
          unknown.getMessage() + "; safe to retry with the same idempotency key", unknown);
    } catch (StepException definite) {
      context.keepDurably(
          itemKey, record("failed", context, key, publisher, null, definite.getMessage()));
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
}
