package io.stepwise.sfnlocal;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;

/**
 * The task tokens of callback tasks ({@code .waitForTaskToken}) and which execution issued each. A
 * token is opaque: base64 of a version byte, 32 random bytes (from {@link SecureRandom}, so not
 * guessable) and a CRC-32 of both. A string that does not decode to that shape is malformed ({@code
 * InvalidToken}); a well-formed token this emulator never issued is unknown ({@code
 * TaskDoesNotExist}). Every token issued stays known, open or closed, so that one whose task has
 * ended answers {@code TaskTimedOut}, after a restart too.
 */
final class TaskTokens {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte VERSION = 1;
  private static final int RANDOM_BYTES = 32;
  private static final int LENGTH = 1 + RANDOM_BYTES + 4;

  private final Map<String, Execution> owners = new ConcurrentHashMap<>();

  /** A new token, not yet registered. */
  static String mint() {
    ByteBuffer bytes = ByteBuffer.allocate(LENGTH);
    byte[] random = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(random);
    bytes.put(VERSION).put(random);
    bytes.putInt(crc(bytes.array()));
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  /** Whether the string has the shape of a token this emulator issues. */
  static boolean wellFormed(String token) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return bytes.length == LENGTH
        && bytes[0] == VERSION
        && ByteBuffer.wrap(bytes, LENGTH - 4, 4).getInt() == crc(bytes);
  }

  private static int crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, LENGTH - 4);
    return (int) crc.getValue();
  }

  void register(String token, Execution ex) {
    owners.put(token, ex);
  }

  /** The execution that issued the token, or null when this emulator never issued it. */
  Execution owner(String token) {
    return owners.get(token);
  }
}
