package io.stepwise.pipelines.digest.render;

import io.stepwise.blobs.BlobStore;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.pipelines.digest.analysis.Analysis;
import io.stepwise.pipelines.digest.analysis.Post;
import io.stepwise.steps.BoundedParallel;
import io.stepwise.steps.StepBody;
import io.stepwise.steps.StepContext;
import io.stepwise.steps.errors.TerminalStepException;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * render_images: one card per post, stored in the blob store under {@code
 * images/<taskId>/<runId>/<paperId>.png} (a per-run key, so re-rendering never overwrites a card an
 * earlier run published), as many at once as the function has processors. Finished cards are kept
 * as items so a retry renders only the missing ones.
 */
@Singleton
@Named(PaperDigest.RENDER_IMAGES_BODY)
public class RenderImagesBody implements StepBody {

  private final CardRenderer renderer;
  private final Optional<BlobStore> blobs;

  public RenderImagesBody(CardRenderer renderer, Optional<BlobStore> blobs) {
    this.renderer = renderer;
    this.blobs = blobs;
  }

  @Override
  public RenderedCards run(StepContext context) {
    BlobStore store =
        blobs.orElseThrow(
            () ->
                new TerminalStepException(
                    "no blob store is configured (stepwise.blobs.bucket or stepwise.blobs.dir)"));
    Analysis analysis = context.output(PaperDigest.ANALYZE, Analysis.class);
    context.expectItems(analysis.posts().stream().map(post -> cardKey(context, post)).toList());
    // Drawing is CPU-bound: as many cards at once as the function has processors. Cards come back
    // in post order.
    List<BoundedParallel.Outcome<RenderedCards.Card>> outcomes =
        BoundedParallel.map(
            analysis.posts(),
            Runtime.getRuntime().availableProcessors(),
            post -> {
              String itemKey = cardKey(context, post);
              return context
                  .finishedItem(itemKey, RenderedCards.Card.class)
                  .orElseGet(
                      () -> {
                        byte[] png = renderer.render(post);
                        String key =
                            "images/"
                                + context.taskId()
                                + "/"
                                + context.runId()
                                + "/"
                                + post.paperId()
                                + ".png";
                        String uri = store.put(key, png, "image/png");
                        RenderedCards.Card fresh =
                            new RenderedCards.Card(
                                post.paperId(),
                                key,
                                uri,
                                CardRenderer.WIDTH,
                                CardRenderer.HEIGHT,
                                png.length);
                        context.keepItem(itemKey, fresh);
                        return fresh;
                      });
            });
    List<RenderedCards.Card> cards = new ArrayList<>();
    for (BoundedParallel.Outcome<RenderedCards.Card> outcome : outcomes) {
      if (outcome.failed()) {
        throw outcome.error(); // the other cards are kept: a retry renders only the missing ones
      }
      cards.add(outcome.value());
    }
    return new RenderedCards(cards);
  }

  private static String cardKey(StepContext context, Post post) {
    return "card:" + context.runId() + ":" + post.paperId();
  }
}
