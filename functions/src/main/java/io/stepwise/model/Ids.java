package io.stepwise.model;

import java.util.regex.Pattern;

/**
 * What a task or batch id can look like: ids are UUIDs, and a DynamoDB key must stay far below its
 * size limit, so anything longer than {@link #MAX_LENGTH} or outside the id alphabet names nothing
 * and is answered 404 without asking the table.
 */
public final class Ids {

  public static final int MAX_LENGTH = 200;
  private static final Pattern ALPHABET = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

  private Ids() {}

  public static boolean plausible(String id) {
    return id != null && ALPHABET.matcher(id).matches();
  }

  /** An id as it may appear in a message: at most 60 printable characters. */
  public static String quoted(String id) {
    String printable = String.valueOf(id).replaceAll("[^\\x20-\\x7E]", "?");
    return printable.length() <= 60 ? printable : printable.substring(0, 60) + "...";
  }
}
