package io.stepwise.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fenced code blocks of the README and the docs pages, each with the marker the line before it
 * may carry: {@code <!-- not run: reason -->}, {@code <!-- run by: TestClass -->} or {@code <!--
 * run with: --auth -->}.
 */
record DocBlocks(Path page, List<Block> blocks) {

  /** How a block is to be treated, from the HTML comment on the line before it. */
  enum Marker {
    RUN,
    NOT_RUN,
    RUN_BY,
    RUN_WITH
  }

  /**
   * One fenced block: its language (the word after the fence), where it starts, its marker and its
   * text.
   */
  record Block(Path page, int line, String language, Marker marker, String argument, String text) {
    String where() {
      return page.getFileName() + ":" + line;
    }

    boolean isBash() {
      return language.equals("bash");
    }

    boolean runsHere() {
      return isBash() && (marker == Marker.RUN || marker == Marker.RUN_WITH);
    }
  }

  private static final Pattern FENCE = Pattern.compile("^```(\\S*)\\s*$");
  private static final Pattern MARKER =
      Pattern.compile("^<!--\\s*(not run|run by|run with):\\s*(.*?)\\s*-->\\s*$");

  /** README.md and every docs/*.md page under the repository root, README first, then by name. */
  static List<DocBlocks> pages(Path root) {
    List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pages.stream().map(DocBlocks::read).toList();
  }

  static DocBlocks read(Path page) {
    List<String> lines;
    try {
      lines = Files.readAllLines(page, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = FENCE.matcher(lines.get(i));
      if (!open.matches()) {
        continue;
      }
      int start = i;
      StringBuilder text = new StringBuilder();
      for (i++; i < lines.size() && !lines.get(i).equals("```"); i++) {
        text.append(lines.get(i)).append('\n');
      }
      Marker marker = Marker.RUN;
      String argument = "";
      Matcher m = start > 0 ? MARKER.matcher(lines.get(start - 1)) : null;
      if (m != null && m.matches()) {
        marker =
            switch (m.group(1)) {
              case "not run" -> Marker.NOT_RUN;
              case "run by" -> Marker.RUN_BY;
              default -> Marker.RUN_WITH;
            };
        argument = m.group(2);
      }
      blocks.add(new Block(page, start + 1, open.group(1), marker, argument, text.toString()));
    }
    return new DocBlocks(page, List.copyOf(blocks));
  }

  String name() {
    return page.getParent().getFileName().toString().equals("docs")
        ? "docs/" + page.getFileName()
        : page.getFileName().toString();
  }

  List<Block> bash() {
    return blocks.stream().filter(Block::isBash).toList();
  }

  List<Block> runnable() {
    return blocks.stream().filter(Block::runsHere).toList();
  }
}
