package io.stepwise.pipelines.digest.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepwise.pipelines.digest.analysis.Post;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The card fills its text area with title, summary and key points, never cuts a Latin word, and
 * does not print the paper's title twice.
 */
class CardRendererTest {

  private final CardRenderer renderer = new CardRenderer();

  private static Post post(String title, String summary, List<String> points) {
    return new Post(
        "2411.20001",
        title,
        summary,
        points,
        List.of("AI"),
        "en",
        "A Source Title",
        "https://arxiv.org/abs/2411.20001",
        "m",
        "chosen");
  }

  /**
   * The lowest row of the text area holding dark (text) pixels, and how many of its rows hold any.
   */
  private static int[] ink(byte[] png) throws Exception {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    int lowest = -1;
    int rows = 0;
    for (int y = CardRenderer.TOP - 80; y < CardRenderer.BOTTOM + 60; y++) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        int rgb = image.getRGB(x, y);
        if (((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF) < 300) {
          lowest = y;
          rows++;
          break;
        }
      }
    }
    return new int[] {lowest, rows};
  }

  @Test
  void aShortPost_isSetLargeAndSpreadOverTheCard_noBlankMiddle() throws Exception {
    byte[] png =
        renderer.render(
            post(
                "Scaling Laws for Sparse Mixture-of-Experts Retrieval",
                "The paper proposes a new method with clearly better results.",
                List.of("A new method", "Clearly better results", "Code released")));
    int[] ink = ink(png);
    int area = CardRenderer.BOTTOM - CardRenderer.TOP;
    assertThat(ink[0])
        .as("the text reaches the lower part of the card")
        .isGreaterThan(CardRenderer.TOP + area * 4 / 5);
  }

  @Test
  void aLongPost_shrinksToFit_andStaysAboveTheFooter() throws Exception {
    String summary =
        "A long summary sentence that goes on about the method and its many results. ".repeat(6);
    byte[] png =
        renderer.render(
            post(
                "A Rather Long Title About Scaling Laws for Sparse Mixture-of-Experts Retrieval Models",
                summary,
                List.of(
                    "First key point of some length",
                    "Second key point of some length",
                    "Third key point",
                    "Fourth key point")));
    assertThat(ink(png)[0])
        .as("nothing drawn into the source line and footer")
        .isLessThan(CardRenderer.BOTTOM + 50);
  }

  /** Rows between {@code from} and {@code to} holding grey or darker pixels. */
  private static int greyRows(byte[] png, int from, int to) throws Exception {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    int rows = 0;
    for (int y = from; y < to; y++) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        int rgb = image.getRGB(x, y);
        if (((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF) < 500) {
          rows++;
          break;
        }
      }
    }
    return rows;
  }

  @Test
  void thePapersTitle_isPrintedAboveTheFooter_unlessThePostIsTitledWithItAlready()
      throws Exception {
    int from = CardRenderer.BOTTOM + 30;
    int to = CardRenderer.HEIGHT - 96 - 40;
    List<String> points =
        List.of("Focus: sparse retrieval", "Key number: three orders of magnitude");
    Post own =
        new Post(
            "2411.10001",
            "Inside Scaling Laws",
            "The paper studies how retrieval quality scales.",
            points,
            List.of("AI"),
            "en",
            "Scaling Laws for Sparse Mixture-of-Experts Retrieval",
            "https://arxiv.org/abs/2411.10001",
            "m",
            "chosen");
    assertThat(greyRows(renderer.render(own), from, to)).as("the source line").isGreaterThan(10);
    Post copied =
        new Post(
            "2411.10001",
            "Scaling laws for sparse mixture-of-experts retrieval!",
            "The paper studies how retrieval quality scales.",
            points,
            List.of("AI"),
            "en",
            "Scaling Laws for Sparse Mixture-of-Experts Retrieval",
            "https://arxiv.org/abs/2411.10001",
            "m",
            "chosen");
    assertThat(greyRows(renderer.render(copied), from, to))
        .as("no second copy of the title")
        .isZero();
    assertThat(CardRenderer.sameWords("Scaling Laws: Sparse", "scaling laws sparse")).isTrue();
    assertThat(CardRenderer.sameWords("Inside Scaling Laws", "Scaling Laws")).isFalse();
  }

  @Test
  void aKeyPointOfSeveralLines_hangsUnderItsBullet() {
    Graphics2D g = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB).createGraphics();
    CardRenderer.Layout layout =
        renderer.layout(
            g,
            post(
                "Inside Scaling Laws",
                "The paper studies how retrieval quality scales.",
                List.of(
                    "Setting: sparse mixture-of-experts retrieval across three orders of magnitude",
                    "Short")));
    CardRenderer.Block point = layout.points().get(0);
    assertThat(point.lines()).hasSizeGreaterThan(1);
    assertThat(point.lines().get(0)).startsWith("• Setting:");
    assertThat(point.lines().get(1)).doesNotStartWith("•");
    assertThat(point.indent())
        .as("the lines after the first start where the text after the bullet does")
        .isPositive();
    assertThat(layout.title().indent()).isZero();
  }

  @Test
  void wrap_cutsLatinOnWordBoundaries_andChineseAnywhere() {
    Graphics2D g = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB).createGraphics();
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 20));
    List<String> lines =
        CardRenderer.wrap(
            g, "Scaling laws for sparse mixture of experts retrieval and other long words", 200, 2);
    assertThat(lines).hasSize(2);
    String last = lines.get(1);
    assertThat(last).endsWith("…");
    String kept = last.substring(0, last.length() - 1);
    assertThat("Scaling laws for sparse mixture of experts retrieval and other long words")
        .as("the last line ends with a whole word")
        .containsPattern("\\Q" + lines.get(0) + " " + kept + "\\E( |$)");

    assertThat(CardRenderer.wordCut("Scaling laws for spa", 'r')).isEqualTo("Scaling laws for");
    assertThat(CardRenderer.wordCut("Scaling laws for", ' ')).isEqualTo("Scaling laws for");
    assertThat(CardRenderer.wordCut("稀疏专家混合模型的扩展", '定')).isEqualTo("稀疏专家混合模型的扩展");
  }
}
