package io.stepwise.pipelines.digest.payload;

import io.micronaut.context.annotation.Value;
import io.stepwise.kit.publish.PostPayload;
import io.stepwise.pipelines.digest.PaperDigest;
import io.stepwise.pipelines.digest.analysis.Analysis;
import io.stepwise.pipelines.digest.analysis.Post;
import io.stepwise.pipelines.digest.render.RenderedCards;
import io.stepwise.steps.StepBody;
import io.stepwise.steps.StepContext;
import io.stepwise.steps.errors.TerminalStepException;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * build_payload: each post shaped to the platform's limits. Over-long text is cut with "…" on
 * character boundaries, and on word boundaries in spaced scripts ({@link Graphemes#truncate}); what
 * cannot be fixed (no image, empty title) is a terminal error naming the post and the rule.
 */
@Singleton
@Named(PaperDigest.BUILD_PAYLOAD_BODY)
public class BuildPayloadBody implements StepBody {

  private final PlatformRules rules = PlatformRules.REDNOTE;
  private final String titlePrefix;

  /**
   * @param titlePrefix put before every title ({@code stepwise.publish.title-prefix}, e.g. "新论文：";
   *     empty by default): it counts against the platform's title limit, so a long one leaves
   *     little room
   */
  public BuildPayloadBody(@Value("${stepwise.publish.title-prefix:}") String titlePrefix) {
    this.titlePrefix = titlePrefix == null ? "" : titlePrefix;
  }

  @Override
  public Payloads run(StepContext context) {
    Analysis analysis = context.output(PaperDigest.ANALYZE, Analysis.class);
    RenderedCards cards = context.output(PaperDigest.RENDER_IMAGES, RenderedCards.class);
    Map<String, List<String>> images =
        cards.cards().stream()
            .collect(
                Collectors.groupingBy(
                    RenderedCards.Card::paperId,
                    Collectors.mapping(RenderedCards.Card::uri, Collectors.toList())));
    List<PostPayload> posts = new ArrayList<>();
    for (Post post : analysis.posts()) {
      posts.add(build(post, images.getOrDefault(post.paperId(), List.of()), analysis.language()));
    }
    return new Payloads(rules.platform(), posts);
  }

  PostPayload build(Post post, List<String> images, String language) {
    String title = (titlePrefix + post.title()).strip();
    if (post.title().isBlank()) {
      throw new TerminalStepException("post for paper " + post.paperId() + " has an empty title");
    }
    if (images.size() < rules.imagesMin() || images.size() > rules.imagesMax()) {
      throw new TerminalStepException(
          "post for paper "
              + post.paperId()
              + " has "
              + images.size()
              + " images; "
              + rules.platform()
              + " needs "
              + rules.imagesMin()
              + " to "
              + rules.imagesMax());
    }
    Set<String> tags = new LinkedHashSet<>();
    post.tags().stream()
        .map(t -> t.replace("#", "").strip())
        .filter(t -> !t.isEmpty())
        .limit(rules.tagsMax())
        .forEach(tags::add);
    String source =
        ("en".equals(language) ? "Paper: " : "原文：") + post.sourceTitle() + "\n" + post.sourceUrl();
    String points = post.keyPoints().stream().map(p -> "• " + p).collect(Collectors.joining("\n"));
    // The tags go to the platform as tags (the publishers send them beside the body), so the body
    // does not
    // repeat them as #hashtags. The source line is kept whole; the summary and key points give way
    // when space is short.
    String tail = "\n\n" + source;
    int room = rules.bodyMax() - Graphemes.count(tail);
    String main = room < 1 ? "" : Graphemes.truncate(post.summary() + "\n\n" + points, room);
    String body = Graphemes.truncate(main + tail, rules.bodyMax());
    return new PostPayload(
        post.paperId(),
        Graphemes.truncate(title, rules.titleMax()),
        body,
        List.copyOf(images),
        List.copyOf(tags));
  }
}
