package io.stepwise.pipelines.digest.result;

import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.stepwise.kit.publish.PostPayload;
import io.stepwise.model.TaskRecord;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.pipelines.digest.analysis.Analysis;
import io.stepwise.pipelines.digest.analysis.Post;
import io.stepwise.pipelines.digest.payload.Payloads;
import io.stepwise.pipelines.digest.render.RenderedCards;
import io.stepwise.tasks.PipelineResult;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The digest's result: each post as build_payload shaped it (title, body, tags), its card images
 * (named by render_images' checkpoint) and which model wrote it and why (analyze's checkpoint).
 */
@Singleton
@Named(PaperDigest.NAME)
public class DigestResult implements PipelineResult {

  private static final String PNG = "image/png";

  private final JsonMapper json;

  public DigestResult(JsonMapper json) {
    this.json = json;
  }

  /** {@code GET /api/tasks/{id}/result} of a digest task. */
  @Serdeable
  public record Result(List<ResultPost> posts) {}

  /** One post as the platform shows it, with where it came from. */
  @Serdeable
  public record ResultPost(
      String title,
      String body,
      List<String> tags,
      List<String> images,
      String model,
      String modelReason,
      String sourceUrl) {}

  @Override
  public Result result(TaskRecord task, UnaryOperator<String> imageUrl) {
    Payloads payloads =
        PipelineResult.requiredOutput(json, task, PaperDigest.BUILD_PAYLOAD, Payloads.class);
    Map<String, Post> posts =
        PipelineResult.requiredOutput(json, task, PaperDigest.ANALYZE, Analysis.class)
            .posts()
            .stream()
            .collect(Collectors.toMap(Post::paperId, p -> p, (a, b) -> a));
    Map<String, List<String>> images =
        PipelineResult.requiredOutput(json, task, PaperDigest.RENDER_IMAGES, RenderedCards.class)
            .cards()
            .stream()
            .collect(
                Collectors.groupingBy(
                    RenderedCards.Card::paperId,
                    Collectors.mapping(c -> imageUrl.apply(name(c)), Collectors.toList())));
    return new Result(
        payloads.posts().stream()
            .map(p -> post(p, posts.get(p.postKey()), images.getOrDefault(p.postKey(), List.of())))
            .toList());
  }

  private static ResultPost post(PostPayload payload, Post source, List<String> images) {
    return new ResultPost(
        payload.title(),
        payload.body(),
        payload.tags(),
        images,
        source == null ? null : source.model(),
        source == null ? null : source.modelReason(),
        source == null ? null : source.sourceUrl());
  }

  @Override
  public Optional<Image> image(TaskRecord task, String name) {
    return PipelineResult.output(json, task, PaperDigest.RENDER_IMAGES, RenderedCards.class)
        .flatMap(cards -> cards.cards().stream().filter(c -> name(c).equals(name)).findFirst())
        .map(c -> new Image(c.key(), PNG));
  }

  /** A card's name in its URL: the paper id (old arXiv ids have a slash) as one path segment. */
  static String name(RenderedCards.Card card) {
    return card.paperId().replace('/', '_') + ".png";
  }
}
