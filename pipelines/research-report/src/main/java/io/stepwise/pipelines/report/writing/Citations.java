package io.stepwise.pipelines.report.writing;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code [n]} citations of a text (also {@code [1, 3]}), in order of first use, kept to the
 * numbers allowed.
 */
public final class Citations {

  private static final Pattern BRACKETS = Pattern.compile("\\[(\\d+(?:\\s*,\\s*\\d+)*)]");

  private Citations() {}

  public static List<Integer> in(String text, Set<Integer> allowed) {
    Set<Integer> cited = new LinkedHashSet<>();
    Matcher m = BRACKETS.matcher(text);
    while (m.find()) {
      for (String n : m.group(1).split(",")) {
        int value = Integer.parseInt(n.strip());
        if (allowed.contains(value)) {
          cited.add(value);
        }
      }
    }
    return List.copyOf(cited);
  }
}
