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
 * Draws a post's card (1080×1440 PNG, the 3:4 portrait RedNote favours) with Java2D, headless. The font
 * ships in the jar (Lambda has no system fonts): a subset of Noto Sans CJK SC covering GB2312 and Latin.
 * Characters the font cannot show (e.g. emoji) are left out rather than drawn as empty boxes.
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
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
      g.setPaint(new GradientPaint(0, 0, new Color(0xFFF4E6), 0, HEIGHT, new Color(0xFFE0EC)));
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setColor(new Color(0xFF2442));
      g.fillRoundRect(MARGIN, MARGIN, 160, 12, 12, 12);

      int y = MARGIN + 110;
      g.setColor(new Color(0x1F1F1F));
      y = paragraph(g, base.deriveFont(Font.BOLD, 76f), displayable(post.title()), y, 4, 1.25f);
      y += 50;
      g.setColor(new Color(0x3A3A3A));
      Font points = base.deriveFont(44f);
      for (String point : post.keyPoints()) {
        if (y > HEIGHT - 320) {
          break;
        }
        y = paragraph(g, points, "• " + displayable(point), y, 3, 1.35f) + 24;
      }

      g.setColor(new Color(0x6B6B6B));
      Font small = base.deriveFont(30f);
      paragraph(g, small, displayable(post.sourceTitle()), HEIGHT - MARGIN - 120, 2, 1.3f);
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

  /** Draws wrapped text from baseline {@code top}, at most {@code maxLines}; returns the y below it. */
  private static int paragraph(Graphics2D g, Font font, String text, int top, int maxLines, float spacing) {
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

  /** Line breaks per Unicode rules (between CJK characters, at spaces in Latin), ellipsis on the last line. */
  static List<String> wrap(Graphics2D g, String text, int width, int maxLines) {
    var metrics = g.getFontMetrics();
    BreakIterator breaks = BreakIterator.getLineInstance(Locale.CHINESE);
    breaks.setText(text);
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    int start = breaks.first();
    for (int end = breaks.next(); end != BreakIterator.DONE; start = end, end = breaks.next()) {
      String piece = text.substring(start, end);
      if (metrics.stringWidth(line + piece.stripTrailing()) > width && line.length() > 0) {
        lines.add(line.toString().stripTrailing());
        line.setLength(0);
        if (lines.size() == maxLines) {
          String last = lines.remove(maxLines - 1);
          while (!last.isEmpty() && metrics.stringWidth(last + "…") > width) {
            last = last.substring(0, last.offsetByCodePoints(last.length(), -1));
          }
          lines.add(last + "…");
          return lines;
        }
      }
      line.append(piece);
    }
    if (line.length() > 0) {
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  private String displayable(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().filter(cp -> base.canDisplay(cp) || Character.isWhitespace(cp)).forEach(out::appendCodePoint);
    return out.toString().replaceAll("\\s+", " ").strip();
  }
}
