package io.stepwise.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The one place request bodies are held to "exactly one JSON document in UTF-8": bytes that are not
 * UTF-8 (no replacement characters), a byte order mark, anything after the document, a duplicate
 * key, a lone surrogate (raw or escaped as {@code \uD800}) and a {@code null} document are refused
 * with a {@link BadRequestException} whose message is ours, never the parser's. It only checks;
 * callers still read the text their usual way.
 */
public final class StrictJson {

  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private StrictJson() {}

  /**
   * Checks a body and returns it decoded; the caller treats an empty or all-whitespace body as
   * absent.
   */
  public static String check(byte[] body) {
    String text = decode(body);
    if (text.startsWith("\uFEFF")) {
      throw new BadRequestException(
          "request body starts with a byte order mark; send UTF-8 without one");
    }
    if (text.isBlank()) {
      return text;
    }
    try (JsonParser parser = FACTORY.createParser(text)) {
      walk(parser);
    } catch (StreamConstraintsException e) {
      throw new BadRequestException(
          "request body is nested too deeply or holds a number or string too long to read");
    } catch (IOException e) {
      throw new BadRequestException("request body is not valid JSON" + at(e));
    }
    return text;
  }

  private static String decode(byte[] body) {
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(body);
    try {
      CharBuffer chars = utf8.decode(in);
      return chars.toString();
    } catch (MalformedInputException e) {
      throw new BadRequestException(
          "request body is not valid UTF-8 (at byte " + in.position() + ")");
    } catch (CharacterCodingException e) {
      throw new BadRequestException("request body is not valid UTF-8");
    }
  }

  private static void walk(JsonParser parser) throws IOException {
    JsonToken first = parser.nextToken();
    if (first == JsonToken.VALUE_NULL) {
      throw new BadRequestException("request body is null; send a JSON object");
    }
    Deque<Set<String>> keys = new ArrayDeque<>();
    for (JsonToken t = first; t != null; t = parser.nextToken()) {
      switch (t) {
        case START_OBJECT -> keys.push(new HashSet<>());
        case START_ARRAY -> keys.push(Set.of()); // a marker: arrays have no keys
        case END_OBJECT, END_ARRAY -> keys.pop();
        case FIELD_NAME -> {
          String key = parser.currentName();
          noLoneSurrogate(key, parser);
          if (!keys.peek().add(key)) {
            throw new BadRequestException(
                "request body has the key '" + shorten(key) + "' twice in one object" + at(parser));
          }
        }
        case VALUE_STRING -> noLoneSurrogate(parser.getText(), parser);
        default -> {}
      }
      if (keys.isEmpty()) {
        break;
      }
    }
    JsonToken after;
    try {
      after = parser.nextToken();
    } catch (IOException e) {
      throw new BadRequestException("request body has data after the JSON document" + at(e));
    }
    if (after != null) {
      throw new BadRequestException("request body holds more than one JSON document" + at(parser));
    }
  }

  private static void noLoneSurrogate(String s, JsonParser parser) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new BadRequestException(
            "request body has a string with an unpaired surrogate (\\u"
                + Integer.toHexString(c).toUpperCase(Locale.ROOT)
                + "), which is not Unicode text"
                + at(parser));
      }
    }
  }

  private static String at(JsonParser parser) {
    return at(parser.currentTokenLocation());
  }

  private static String at(IOException e) {
    return e instanceof JsonProcessingException p && p.getLocation() != null
        ? at(p.getLocation())
        : "";
  }

  private static String at(JsonLocation where) {
    return where.getLineNr() < 1
        ? ""
        : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
  }

  private static String shorten(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "...";
  }
}
