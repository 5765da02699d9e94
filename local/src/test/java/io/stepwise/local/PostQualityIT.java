package io.stepwise.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Digest posts as the local runtime makes them (its model server answering analyze from each
 * paper's title and abstract) are posts worth publishing: each is about its own paper; a Chinese
 * post has a Chinese title of its own within RedNote's 20 characters, not the paper's English title
 * cut short; the tags go beside the body, not into it; the card material names the paper's title
 * once (the card's source line), not in the title and the summary as well.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostQualityIT {

  private static final Pattern CHARACTER = Pattern.compile("\\X");
  private static final Set<String> NOT_DISTINCTIVE =
      Set.of("with", "without", "that", "themselves", "benchmark", "models", "study", "from");

  private LocalRuntime runtime;

  @BeforeAll
  void start() {
    runtime = LocalRuntime.start(Options.ephemeral(0.01));
  }

  @AfterAll
  void stop() {
    runtime.close();
  }

  /** A finished digest of three papers: its result, and analyze's and fetch_papers' outputs. */
  private record Digest(String id, JsonNode result, JsonNode papers, JsonNode posts) {}

  private Digest digest(String language) throws Exception {
    String id =
        LocalApi.send(
                runtime.api(),
                "POST",
                "/api/tasks",
                "{\"maxPapers\":3,\"language\":\"" + language + "\"}")
            .path("taskId")
            .asText();
    LocalApi.awaitStatus(runtime.api(), id, "succeeded");
    JsonNode steps =
        LocalApi.send(runtime.api(), "GET", "/api/tasks/" + id + "/checkpoint", null).path("steps");
    return new Digest(
        id,
        LocalApi.send(runtime.api(), "GET", "/api/tasks/" + id + "/result", null),
        steps.path("fetch_papers").path("output").path("papers"),
        steps.path("analyze").path("output").path("posts"));
  }

  private static int characters(String text) {
    Matcher m = CHARACTER.matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** A paper title's words that say what it is about. */
  private static List<String> distinctive(String title) {
    List<String> words = new ArrayList<>();
    for (String w : title.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}-]+")) {
      if (w.length() > 3 && !NOT_DISTINCTIVE.contains(w)) {
        words.add(w);
      }
    }
    return words;
  }

  /** The body above its source line ("原文：…" / "Paper: …"): what the post says in its own words. */
  private static String ownWords(String body) {
    int source = Math.max(body.lastIndexOf("原文："), body.lastIndexOf("Paper: "));
    return body.substring(0, source);
  }

  @Test
  void aChinesePost_hasAChineseTitleOfItsOwn_withinRedNotesTwentyCharacters() throws Exception {
    Digest digest = digest("zh");
    assertThat(digest.result().path("posts")).hasSize(3);
    for (int i = 0; i < 3; i++) {
      String title = digest.result().path("posts").get(i).path("title").asText();
      String paper = digest.papers().get(i).path("title").asText();
      assertThat(title)
          .as("post %d", i)
          .containsPattern("\\p{IsHan}")
          .doesNotEndWith("…")
          .doesNotContain(paper);
      assertThat(characters(title)).isBetween(2, 20);
    }
  }

  @Test
  void tags_goBesideTheBody_notIntoIt() throws Exception {
    for (String language : List.of("zh", "en")) {
      for (JsonNode post : digest(language).result().path("posts")) {
        assertThat(post.path("tags")).isNotEmpty();
        for (JsonNode tag : post.path("tags")) {
          assertThat(post.path("body").asText())
              .as(language + " body")
              .doesNotContain("#" + tag.asText());
        }
        assertThat(post.path("body").asText()).doesNotContain("#");
      }
    }
  }

  @Test
  void eachPost_isAboutItsOwnPaper() throws Exception {
    for (String language : List.of("en", "zh")) {
      Digest digest = digest(language);
      Set<String> bodies = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        JsonNode post = digest.result().path("posts").get(i);
        String paper = digest.papers().get(i).path("title").asText();
        assertThat(post.path("sourceUrl").asText())
            .isEqualTo(digest.papers().get(i).path("links").path("abs").asText());
        String said =
            (post.path("title").asText() + " " + ownWords(post.path("body").asText()))
                .toLowerCase(Locale.ROOT);
        assertThat(distinctive(paper))
            .as("%s post %d names its paper's subject: %s", language, i, said)
            .anyMatch(said::contains);
        for (int j = 0; j < 3; j++) {
          if (j != i) {
            String other = digest.papers().get(j).path("title").asText().toLowerCase(Locale.ROOT);
            assertThat(said).as("post %d does not speak of paper %d", i, j).doesNotContain(other);
          }
        }
        bodies.add(ownWords(post.path("body").asText()));
      }
      assertThat(bodies).as("no two posts say the same").hasSize(3);
    }
  }

  @Test
  void theCard_namesThePapersTitleOnce_inItsSourceLine() throws Exception {
    Digest digest = digest("en");
    for (JsonNode post : digest.posts()) {
      String paper = post.path("sourceTitle").asText();
      assertThat(post.path("title").asText())
          .as("the card's title")
          .isNotEqualToIgnoringCase(paper);
      assertThat(post.path("summary").asText())
          .as("the card's summary")
          .doesNotContainIgnoringCase(paper);
      post.path("keyPoints").forEach(p -> assertThat(p.asText()).doesNotContainIgnoringCase(paper));
    }
    String card = digest.result().path("posts").get(0).path("images").get(0).asText();
    HttpResponse<byte[]> png =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(runtime.api() + card)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(png.statusCode()).isEqualTo(200);
    assertThat(ImageIO.read(new ByteArrayInputStream(png.body())).getHeight()).isEqualTo(1440);
  }
}
