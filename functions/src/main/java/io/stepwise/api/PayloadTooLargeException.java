package io.stepwise.api;

import java.nio.charset.StandardCharsets;

/** A request body over the API's limit. */
public class PayloadTooLargeException extends RuntimeException {

  public PayloadTooLargeException(int limit) {
    super("request body is larger than " + limit + " bytes");
  }

  /**
   * The one body-size guard of every route that takes a body: throws when {@code body} is over
   * {@code maxBytes} in UTF-8 (a UTF-8 character is at most 4 bytes, so short bodies are not even
   * encoded).
   */
  public static void check(String body, int maxBytes) {
    if (body != null
        && body.length() > maxBytes / 4
        && body.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      throw new PayloadTooLargeException(maxBytes);
    }
  }
}
