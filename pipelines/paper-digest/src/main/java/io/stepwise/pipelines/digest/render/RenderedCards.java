package io.stepwise.pipelines.digest.render;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** Output of render_images: one card per post, stored in the blob store. */
@Serdeable
public record RenderedCards(List<Card> cards) {

  /** A stored card: where it is and what it is. */
  @Serdeable
  public record Card(String paperId, String key, String uri, int width, int height, int bytes) {}
}
