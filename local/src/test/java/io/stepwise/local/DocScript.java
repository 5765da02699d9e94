package io.stepwise.local;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One page's runnable bash blocks as one bash script, run top to bottom as a reader would paste
 * them. Besides the addresses (which the caller rewrites), the script adds only checks:
 *
 * <ul>
 *   <li>a command whose comment is a single word states the answer it prints: it becomes an
 *       assertion (as in {@link ReadmeTryItIT});
 *   <li>every {@code curl} to the API must get a status below 400, unless the command's comment
 *       starts with the status it expects ({@code # 409: …}), which it must then get;
 *   <li>{@code set -euo pipefail}: the script stops at the first failing command;
 *   <li>background jobs a block starts are stopped when the script ends.
 * </ul>
 */
final class DocScript {

  private static final Pattern ANSWER = Pattern.compile("^(.*\\S)\\s+#\\s*(\\S+)\\s*$");
  private static final Pattern COMMENT = Pattern.compile("(?:^|\\s)#\\s*(.*)$");
  private static final Pattern STATUS = Pattern.compile("^([1-5]\\d\\d)\\b.*");
  private static final Pattern HEREDOC = Pattern.compile("<<-?\\s*(['\"]?)(\\w+)\\1");

  private final String page;
  private final List<URI> apis;
  private final List<String> lines = new ArrayList<>();
  private int answers;

  /** A script for {@code page} whose curl checks apply to requests to any of {@code apis}. */
  DocScript(String page, List<URI> apis) {
    this.page = page;
    this.apis = List.copyOf(apis);
    lines.add("set -euo pipefail");
    lines.add("trap 'kill $(jobs -p) 2>/dev/null || true' EXIT");
    lines.add("__line=0; __expect=");
    lines.add(curlWrapper());
  }

  /**
   * Adds a block, its text first passed through {@code rewrite}; {@code before}/{@code after} run
   * around it.
   */
  DocScript add(DocBlocks.Block block, UnaryOperator<String> rewrite, String before, String after) {
    if (!before.isEmpty()) {
      lines.add(before);
    }
    String[] text = rewrite.apply(block.text()).split("\n", -1);
    String heredocEnd = null;
    for (int i = 0; i < text.length; i++) {
      int n = block.line() + 1 + i;
      if (heredocEnd != null) {
        lines.add(text[i]);
        heredocEnd = text[i].equals(heredocEnd) ? null : heredocEnd;
        continue;
      }
      // a command continued over several lines (a trailing backslash) is one command
      StringBuilder command = new StringBuilder(text[i]);
      while (command.toString().endsWith("\\") && i + 1 < text.length) {
        command.setLength(command.length() - 1);
        command.append(' ').append(text[++i].strip());
      }
      Matcher heredoc = HEREDOC.matcher(command);
      if (heredoc.find()) {
        heredocEnd = heredoc.group(2);
        lines.add(command.toString());
        continue;
      }
      command(command.toString(), n);
    }
    if (!after.isEmpty()) {
      lines.add(after);
    }
    return this;
  }

  private void command(String command, int n) {
    if (command.isBlank() || command.strip().startsWith("#")) {
      lines.add(command);
      return;
    }
    String comment = "";
    Matcher c = COMMENT.matcher(command);
    if (c.find()) {
      comment = c.group(1).strip();
    }
    Matcher status = STATUS.matcher(comment);
    lines.add("__line=" + n + "; __expect=" + (status.matches() ? status.group(1) : ""));
    Matcher answer = ANSWER.matcher(command);
    if (!status.matches() && answer.matches() && !answer.group(1).endsWith("{")) {
      answers++;
      String where = page + " line " + n;
      lines.add("out=$(" + answer.group(1) + ")");
      lines.add(
          "[ \"$out\" = "
              + quoted(answer.group(2))
              + " ] || { echo \""
              + where
              + ": expected "
              + answer.group(2).replace("\"", "\\\"")
              + ", got $out\" >&2; exit 1; }");
      lines.add("echo \"" + where + ": $out\"");
    } else {
      lines.add(command);
    }
  }

  /** How many answers the script checks. */
  int answers() {
    return answers;
  }

  String text() {
    return String.join("\n", lines) + "\n";
  }

  /**
   * {@code curl} as a function: the real one, plus the status check for requests to the API. The
   * headers go to a file of their own ({@code -D}), so what the command prints is unchanged.
   */
  private String curlWrapper() {
    StringBuilder policed = new StringBuilder();
    for (URI api : apis) {
      policed.append(policed.isEmpty() ? "" : "|").append(quoted(api.toString())).append('*');
    }
    return String.join(
        "\n",
        "curl() {",
        "  local headers rc=0 code policed= arg",
        "  headers=$(mktemp)",
        "  command curl -D \"$headers\" \"$@\" || rc=$?",
        "  code=$(awk 'toupper(substr($1, 1, 5)) == \"HTTP/\" { c = $2 } END { print c }' \"$headers\")",
        "  rm -f \"$headers\"",
        "  [ $rc -eq 0 ] || return $rc",
        "  for arg in \"$@\"; do case \"$arg\" in " + policed + ") policed=1 ;; esac; done",
        "  [ -n \"$policed\" ] || return 0",
        "  if [ -n \"$__expect\" ] && [ \"$code\" != \"$__expect\" ]; then",
        "    echo \"" + page + " line $__line: expected HTTP $__expect, got $code\" >&2; return 22",
        "  elif [ -z \"$__expect\" ] && [ \"${code:-0}\" -ge 400 ]; then",
        "    echo \""
            + page
            + " line $__line: HTTP $code (a comment starting with the status would say it is meant)\" >&2; return 22",
        "  fi",
        "}");
  }

  private static String quoted(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
