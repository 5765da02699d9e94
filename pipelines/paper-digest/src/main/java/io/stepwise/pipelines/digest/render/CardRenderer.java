package io.stepwise.pipelines.digest.render;

import io.stepwise.pipelines.digest.analysis.Post;
import jakarta.inject.Singleton;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws a post's card (1080×1440 PNG, the 3:4 portrait RedNote favours) with Java2D, headless. The
 * font ships in the jar (Lambda has no system fonts): a subset of Noto Sans CJK SC covering GB2312
 * and Latin. Characters the font cannot show (e.g. emoji) are left out rather than drawn as empty
 * boxes. The paper's title is printed small above the footer, unless the post's title is the
 * paper's title already.
 */
@Singleton
public class CardRenderer {

  public static final int WIDTH = 1080;
  public static final int HEIGHT = 1440;
  private static final int MARGIN = 96;
  private static final String FONT = "/fonts/NotoSansSC-Regular-subset.otf";

  private final Font base;

  public CardRenderer() {
    System.setProperty("java.awt.headless", "true");
    try (InputStream in = CardRenderer.class.getResourceAsStream(FONT)) {
      if (in == null) {
        throw new IllegalStateException("font " + FONT + " is missing from the jar");
      }
      base = Font.createFont(Font.TRUETYPE_FONT, in);
    } catch (IOException | FontFormatException e) {
      throw new IllegalStateException("cannot load " + FONT, e);
    }
  }

  public byte[] render(Post post) {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
      g.setPaint(new GradientPaint(0, 0, new Color(0xFFF4E6), 0, HEIGHT, new Color(0xFFE0EC)));
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setColor(new Color(0xFF2442));
      g.fillRoundRect(MARGIN, MARGIN, 160, 12, 12, 12);

      Layout layout = layout(g, post);
      int y = TOP;
      g.setColor(new Color(0x1F1F1F));
      y = draw(g, layout.title(), y) + layout.gap();
      g.setColor(new Color(0x2E2E2E));
      y = draw(g, layout.summary(), y) + layout.gap();
      g.setColor(new Color(0x3A3A3A));
      for (Block point : layout.points()) {
        y = draw(g, point, y) + layout.pointGap();
      }

      g.setColor(new Color(0x6B6B6B));
      Font small = base.deriveFont(30f);
      String source = displayable(post.sourceTitle());
      if (!sameWords(source, displayable(post.title()))) {
        paragraph(g, small, source, HEIGHT - MARGIN - 120, 2, 1.3f);
      }
      g.setFont(small);
      g.drawString("arXiv " + post.paperId() + "  ·  Stepwise", MARGIN, HEIGHT - MARGIN);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 * 1024);
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Where the text area starts (below the accent bar) and ends (above the source line and footer).
   */
  static final int TOP = MARGIN + 110;

  static final int BOTTOM = HEIGHT - MARGIN - 190;
  private static final float[] SCALES = {
    1.3f, 1.2f, 1.1f, 1.0f, 0.92f, 0.85f, 0.78f, 0.72f, 0.66f, 0.6f
  };

  /**
   * Wrapped lines in one font, the height they take, and how far the lines after the first are
   * indented.
   */
  record Block(Font font, List<String> lines, int lineHeight, int indent) {
    int height() {
      return lines.size() * lineHeight;
    }
  }

  /** The card's text at one size, and the space left to spread between the parts. */
  record Layout(Block title, Block summary, List<Block> points, int gap, int pointGap) {}

  /**
   * Title, summary and key points at the largest size at which all of them fit between {@link #TOP}
   * and {@link #BOTTOM}; the height left over is spread between the parts, so the text fills the
   * card instead of leaving a blank middle. At the smallest size, what still does not fit is cut
   * with "…".
   */
  Layout layout(Graphics2D g, Post post) {
    Layout fitted = null;
    for (float scale : SCALES) {
      Block title =
          block(g, base.deriveFont(Font.BOLD, 76f * scale), displayable(post.title()), 4, 1.25f);
      Block summary = block(g, base.deriveFont(46f * scale), displayable(post.summary()), 7, 1.4f);
      List<Block> points = new ArrayList<>();
      for (String point : post.keyPoints()) {
        points.add(bullet(g, base.deriveFont(44f * scale), displayable(point), 3, 1.35f));
      }
      int minGap = Math.round(40 * scale);
      int minPointGap = Math.round(20 * scale);
      int used =
          title.height()
              + summary.height()
              + points.stream().mapToInt(Block::height).sum()
              + 2 * minGap
              + Math.max(0, points.size() - 1) * minPointGap;
      int room = BOTTOM - TOP - used;
      fitted = new Layout(title, summary, points, minGap, minPointGap);
      if (room >= 0) {
        // spread what is left: mostly between the three parts, a little between the points, never
        // huge
        int gap = minGap + Math.min(room / 3, 160);
        int pointGap =
            minPointGap
                + (points.size() > 1
                    ? Math.min((room - 2 * (gap - minGap)) / (points.size() - 1), 60)
                    : 0);
        return new Layout(title, summary, points, gap, Math.max(minPointGap, pointGap));
      }
    }
    return fitted;
  }

  private static Block block(Graphics2D g, Font font, String text, int maxLines, float spacing) {
    g.setFont(font);
    return new Block(
        font,
        wrap(g, text, WIDTH - 2 * MARGIN, maxLines),
        Math.round(font.getSize2D() * spacing),
        0);
  }

  /**
   * A key point: a bullet, then the text wrapped with a hanging indent, so its lines start under
   * each other.
   */
  private static Block bullet(Graphics2D g, Font font, String text, int maxLines, float spacing) {
    g.setFont(font);
    String mark = "• ";
    int indent = g.getFontMetrics().stringWidth(mark);
    List<String> lines = new ArrayList<>(wrap(g, text, WIDTH - 2 * MARGIN - indent, maxLines));
    if (!lines.isEmpty()) {
      lines.set(0, mark + lines.get(0));
    }
    return new Block(font, lines, Math.round(font.getSize2D() * spacing), indent);
  }

  /**
   * Draws a block's lines from baseline {@code top}, stopping at the text area's end; returns the y
   * below it.
   */
  private static int draw(Graphics2D g, Block block, int top) {
    g.setFont(block.font());
    int y = top;
    for (int i = 0; i < block.lines().size(); i++) {
      if (y > BOTTOM + block.lineHeight()) {
        break;
      }
      g.drawString(block.lines().get(i), MARGIN + (i == 0 ? 0 : block.indent()), y);
      y += block.lineHeight();
    }
    return y;
  }

  /**
   * Draws wrapped text from baseline {@code top}, at most {@code maxLines}; returns the y below it.
   */
  private static int paragraph(
      Graphics2D g, Font font, String text, int top, int maxLines, float spacing) {
    g.setFont(font);
    int lineHeight = Math.round(font.getSize2D() * spacing);
    List<String> lines = wrap(g, text, WIDTH - 2 * MARGIN, maxLines);
    int y = top;
    for (String line : lines) {
      g.drawString(line, MARGIN, y);
      y += lineHeight;
    }
    return y;
  }

  /**
   * Line breaks per Unicode rules (between CJK characters, at spaces in Latin). When the text needs
   * more than {@code maxLines}, the last line holds as much of the rest as fits, cut on a word
   * boundary, with "…".
   */
  static List<String> wrap(Graphics2D g, String text, int width, int maxLines) {
    var metrics = g.getFontMetrics();
    BreakIterator breaks = BreakIterator.getLineInstance(Locale.CHINESE);
    breaks.setText(text);
    List<String> lines = new ArrayList<>();
    int lineStart = 0;
    int start = breaks.first();
    for (int end = breaks.next(); end != BreakIterator.DONE; start = end, end = breaks.next()) {
      String candidate = text.substring(lineStart, end).stripTrailing();
      if (metrics.stringWidth(candidate) > width && start > lineStart) {
        if (lines.size() == maxLines - 1) {
          String last = text.substring(lineStart).strip();
          while (!last.isEmpty() && metrics.stringWidth(last + "…") > width) {
            last = last.substring(0, last.offsetByCodePoints(last.length(), -1));
          }
          int at = text.indexOf(last, lineStart) + last.length();
          lines.add(wordCut(last, at < text.length() ? text.codePointAt(at) : ' ') + "…");
          return lines;
        }
        lines.add(text.substring(lineStart, start).stripTrailing());
        lineStart = start;
      }
    }
    if (lineStart < text.length() && !text.substring(lineStart).isBlank()) {
      lines.add(text.substring(lineStart).stripTrailing());
    }
    return lines;
  }

  /**
   * {@code cut}, followed in its text by {@code next}, moved back to its last space when it ends
   * inside a word of a spaced script, so Latin text is never cut mid-word; Chinese is cut at any
   * character.
   */
  static String wordCut(String cut, int next) {
    if (cut.isEmpty()) {
      return cut;
    }
    int lastCp = cut.codePointBefore(cut.length());
    boolean midWord = latinLetter(lastCp) && latinLetter(next);
    int space = cut.lastIndexOf(' ');
    if (midWord && space > cut.length() / 2) {
      return cut.substring(0, space).stripTrailing();
    }
    return cut.stripTrailing();
  }

  private static boolean latinLetter(int cp) {
    return Character.isLetterOrDigit(cp)
        && Character.UnicodeScript.of(cp) != Character.UnicodeScript.HAN;
  }

  /**
   * Whether two texts say the same words (case, spaces and punctuation aside): a post titled with
   * the paper's title.
   */
  static boolean sameWords(String a, String b) {
    return a.replaceAll("[^\\p{L}\\p{N}]", "")
        .equalsIgnoreCase(b.replaceAll("[^\\p{L}\\p{N}]", ""));
  }

  private String displayable(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints()
        .filter(cp -> base.canDisplay(cp) || Character.isWhitespace(cp))
        .forEach(out::appendCodePoint);
    return out.toString().replaceAll("\\s+", " ").strip();
  }
}
