package io.stepwise.sfnlocal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every intrinsic function of the States Language (JSONPath states): Format, StringToJson,
 * JsonToString, Array, ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem, ArrayLength,
 * ArrayUnique, Base64Encode, Base64Decode, Hash, JsonMerge, MathRandom, MathAdd, StringSplit, UUID.
 * Arguments are string literals in single quotes, numbers, booleans, null, paths ({@code $.x},
 * {@code $$.x}, {@code $var}) and nested calls. A call with wrong arguments fails with {@code
 * States.IntrinsicFailure}.
 */
final class Intrinsics {

  static final String FAILURE = "States.IntrinsicFailure";

  /** Every intrinsic function's name (for validation at CreateStateMachine). */
  static final Set<String> NAMES =
      Set.of(
          "States.Format",
          "States.StringToJson",
          "States.JsonToString",
          "States.Array",
          "States.ArrayPartition",
          "States.ArrayContains",
          "States.ArrayRange",
          "States.ArrayGetItem",
          "States.ArrayLength",
          "States.ArrayUnique",
          "States.Base64Encode",
          "States.Base64Decode",
          "States.Hash",
          "States.JsonMerge",
          "States.MathRandom",
          "States.MathAdd",
          "States.StringSplit",
          "States.UUID");

  private static final Map<String, String> HASHES =
      Map.of(
          "MD5", "MD5", "SHA-1", "SHA-1", "SHA-256", "SHA-256", "SHA-384", "SHA-384", "SHA-512",
          "SHA-512");

  /**
   * AWS's limits: ArrayRange makes at most 1000 items, Base64 works on at most 10000 characters.
   */
  private static final int MAX_RANGE = 1000;

  private static final int MAX_BASE64 = 10000;

  /**
   * An argument: its value, and for a string literal its text before Format's escapes are applied.
   */
  private record Arg(JsonNode value, String literal) {}

  private Intrinsics() {}

  static JsonNode evaluate(String expression, JsonNode input, JsonNode context) {
    return evaluate(expression, input, context, null);
  }

  static JsonNode evaluate(String expression, JsonNode input, JsonNode context, JsonNode vars) {
    int open = expression.indexOf('(');
    if (open < 0 || !expression.trim().endsWith(")")) {
      throw new StatesError(FAILURE, "malformed intrinsic function " + expression);
    }
    String name = expression.substring(0, open).trim();
    String inner = expression.trim();
    List<Arg> args = new ArrayList<>();
    for (String raw : split(inner.substring(open + 1, inner.length() - 1))) {
      args.add(argument(raw.trim(), input, context, vars));
    }
    try {
      return call(name, args);
    } catch (JsonProcessingException e) {
      throw new StatesError(FAILURE, name + ": " + e.getOriginalMessage());
    } catch (IndexOutOfBoundsException | ClassCastException | IllegalArgumentException e) {
      throw new StatesError(FAILURE, "Invalid arguments in " + name + ": " + e.getMessage());
    }
  }

  private static JsonNode call(String name, List<Arg> args) throws JsonProcessingException {
    return switch (name) {
      case "States.Format" -> format(args);
      case "States.StringToJson" -> Paths.JSON.readTree(text(args, 0, 1));
      case "States.JsonToString" ->
          TextNode.valueOf(Paths.JSON.writeValueAsString(only(args, 1).get(0).value()));
      case "States.Array" -> Paths.JSON.valueToTree(args.stream().map(Arg::value).toList());
      case "States.ArrayPartition" -> partition(array(args, 0, 2), integer(args, 1));
      case "States.ArrayContains" ->
          BooleanNode.valueOf(contains(array(args, 0, 2), args.get(1).value()));
      case "States.ArrayRange" ->
          range(integer(only(args, 3), 0), integer(args, 1), integer(args, 2));
      case "States.ArrayGetItem" -> item(array(args, 0, 2), integer(args, 1));
      case "States.ArrayLength" -> IntNode.valueOf(array(args, 0, 1).size());
      case "States.ArrayUnique" -> unique(array(args, 0, 1));
      case "States.Base64Encode" ->
          TextNode.valueOf(
              Base64.getEncoder()
                  .encodeToString(limited(text(args, 0, 1)).getBytes(StandardCharsets.UTF_8)));
      case "States.Base64Decode" ->
          TextNode.valueOf(
              new String(
                  Base64.getDecoder().decode(limited(text(args, 0, 1))), StandardCharsets.UTF_8));
      case "States.Hash" -> hash(text(args, 0, 2), text(args, 1, 2));
      case "States.JsonMerge" -> merge(args);
      case "States.MathRandom" -> random(args);
      case "States.MathAdd" -> add(number(only(args, 2), 0), number(args, 1));
      case "States.StringSplit" -> splitString(text(args, 0, 2), text(args, 1, 2));
      case "States.UUID" -> TextNode.valueOf(UUID.randomUUID().toString());
      default ->
          throw new StatesError(FAILURE, "The intrinsic function " + name + " does not exist");
    };
  }

  private static List<Arg> only(List<Arg> args, int count) {
    if (args.size() != count) {
      throw new IllegalArgumentException("expected " + count + " arguments, got " + args.size());
    }
    return args;
  }

  private static String text(List<Arg> args, int i, int count) {
    JsonNode value = only(args, count).get(i).value();
    if (!value.isTextual()) {
      throw new IllegalArgumentException("argument " + (i + 1) + " must be a string, got " + value);
    }
    return value.asText();
  }

  private static ArrayNode array(List<Arg> args, int i, int count) {
    JsonNode value = only(args, count).get(i).value();
    if (!value.isArray()) {
      throw new IllegalArgumentException("argument " + (i + 1) + " must be an array, got " + value);
    }
    return (ArrayNode) value;
  }

  private static int integer(List<Arg> args, int i) {
    JsonNode value = args.get(i).value();
    if (!value.isIntegralNumber()
        && !(value.isNumber() && value.asDouble() == Math.rint(value.asDouble()))) {
      throw new IllegalArgumentException(
          "argument " + (i + 1) + " must be an integer, got " + value);
    }
    return value.asInt();
  }

  private static JsonNode number(List<Arg> args, int i) {
    JsonNode value = args.get(i).value();
    if (!value.isNumber()) {
      throw new IllegalArgumentException("argument " + (i + 1) + " must be a number, got " + value);
    }
    return value;
  }

  /**
   * {@code {}} placeholders in order; {@code \{}, {@code \}}, {@code \\} and {@code \'} are
   * literal.
   */
  private static JsonNode format(List<Arg> args) {
    if (args.isEmpty() || args.get(0).literal() == null && !args.get(0).value().isTextual()) {
      throw new IllegalArgumentException("the first argument must be a string");
    }
    String template =
        args.get(0).literal() != null ? args.get(0).literal() : args.get(0).value().asText();
    StringBuilder out = new StringBuilder();
    int next = 1;
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '\\' && i + 1 < template.length()) {
        out.append(template.charAt(++i));
      } else if (template.startsWith("{}", i)) {
        if (next >= args.size()) {
          throw new IllegalArgumentException("more placeholders than arguments");
        }
        JsonNode value = args.get(next++).value();
        out.append(value.isTextual() ? value.asText() : value.toString());
        i++;
      } else {
        out.append(c);
      }
    }
    if (next != args.size()) {
      throw new IllegalArgumentException("more arguments than placeholders");
    }
    return TextNode.valueOf(out.toString());
  }

  private static String unescape(String literal) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      out.append(c == '\\' && i + 1 < literal.length() ? literal.charAt(++i) : c);
    }
    return out.toString();
  }

  private static JsonNode partition(ArrayNode array, int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("the chunk size must be positive");
    }
    ArrayNode out = Paths.JSON.createArrayNode();
    for (int i = 0; i < array.size(); i += size) {
      ArrayNode chunk = out.addArray();
      for (int j = i; j < Math.min(i + size, array.size()); j++) {
        chunk.add(array.get(j));
      }
    }
    return out;
  }

  private static boolean contains(ArrayNode array, JsonNode value) {
    for (JsonNode item : array) {
      if (item.equals(value)) {
        return true;
      }
    }
    return false;
  }

  /** First to last inclusive, by step (not zero); at most {@value #MAX_RANGE} items. */
  private static JsonNode range(int first, int last, int step) {
    if (step == 0) {
      throw new IllegalArgumentException("the step must not be 0");
    }
    ArrayNode out = Paths.JSON.createArrayNode();
    for (long i = first; step > 0 ? i <= last : i >= last; i += step) {
      if (out.size() == MAX_RANGE) {
        throw new IllegalArgumentException("the range has more than " + MAX_RANGE + " items");
      }
      out.add((int) i);
    }
    return out;
  }

  private static JsonNode item(ArrayNode array, int index) {
    if (index < 0 || index >= array.size()) {
      throw new IllegalArgumentException(
          "index " + index + " is out of bounds for an array of " + array.size());
    }
    return array.get(index);
  }

  private static JsonNode unique(ArrayNode array) {
    ArrayNode out = Paths.JSON.createArrayNode();
    new LinkedHashSet<JsonNode>(iterable(array)).forEach(out::add);
    return out;
  }

  private static List<JsonNode> iterable(ArrayNode array) {
    List<JsonNode> items = new ArrayList<>();
    array.forEach(items::add);
    return items;
  }

  private static String limited(String value) {
    if (value.length() > MAX_BASE64) {
      throw new IllegalArgumentException("the input is longer than " + MAX_BASE64 + " characters");
    }
    return value;
  }

  private static JsonNode hash(String data, String algorithm) {
    String java = HASHES.get(algorithm);
    if (java == null) {
      throw new IllegalArgumentException(
          "the algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512: " + algorithm);
    }
    try {
      return TextNode.valueOf(
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance(java).digest(data.getBytes(StandardCharsets.UTF_8))));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Shallow merge, the second object's fields winning; AWS supports only the shallow mode (third
   * argument false).
   */
  private static JsonNode merge(List<Arg> args) {
    only(args, 3);
    JsonNode left = args.get(0).value();
    JsonNode right = args.get(1).value();
    if (!left.isObject() || !right.isObject()) {
      throw new IllegalArgumentException("both arguments must be JSON objects");
    }
    if (!args.get(2).value().isBoolean() || args.get(2).value().asBoolean()) {
      throw new IllegalArgumentException(
          "only the shallow mode is supported: the third argument must be false");
    }
    ObjectNode out = left.deepCopy();
    out.setAll((ObjectNode) right);
    return out;
  }

  /** An integer from start (inclusive) to end (exclusive); with a seed, the same one each time. */
  private static JsonNode random(List<Arg> args) {
    if (args.size() != 2 && args.size() != 3) {
      throw new IllegalArgumentException("expected 2 or 3 arguments, got " + args.size());
    }
    int start = integer(args, 0);
    int end = integer(args, 1);
    if (end <= start) {
      throw new IllegalArgumentException("the end must be greater than the start");
    }
    Random random = args.size() == 3 ? new Random(integer(args, 2)) : ThreadLocalRandom.current();
    return IntNode.valueOf(start + random.nextInt(end - start));
  }

  private static JsonNode add(JsonNode a, JsonNode b) {
    if (a.isIntegralNumber() && b.isIntegralNumber()) {
      return LongNode.valueOf(Math.addExact(a.asLong(), b.asLong()));
    }
    return Paths.JSON.getNodeFactory().numberNode(a.decimalValue().add(b.decimalValue()));
  }

  /**
   * Splits on any of the delimiter characters; empty pieces are dropped (AWS's examples show none).
   */
  private static JsonNode splitString(String value, String delimiters) {
    ArrayNode out = Paths.JSON.createArrayNode();
    StringBuilder piece = new StringBuilder();
    for (char c : (value + delimiters.charAt(0)).toCharArray()) {
      if (delimiters.indexOf(c) >= 0) {
        if (!piece.isEmpty()) {
          out.add(piece.toString());
        }
        piece.setLength(0);
      } else {
        piece.append(c);
      }
    }
    return out;
  }

  private static Arg argument(String raw, JsonNode input, JsonNode context, JsonNode vars) {
    if (raw.startsWith("'")) {
      if (raw.length() < 2 || !raw.endsWith("'")) {
        throw new StatesError(FAILURE, "unterminated string literal " + raw);
      }
      String literal = raw.substring(1, raw.length() - 1);
      return new Arg(TextNode.valueOf(unescape(literal)), literal);
    }
    if (raw.startsWith("$")) {
      return new Arg(Paths.resolve(raw, input, context, vars), null);
    }
    if (raw.startsWith("States.")) {
      return new Arg(evaluate(raw, input, context, vars), null);
    }
    try {
      return new Arg(Paths.JSON.readTree(raw), null);
    } catch (JsonProcessingException e) {
      throw new StatesError(FAILURE, "unreadable intrinsic argument " + raw);
    }
  }

  /** Splits arguments on top-level commas (not inside quotes or nested calls). */
  private static List<String> split(String args) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    boolean quoted = false;
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < args.length(); i++) {
      char c = args.charAt(i);
      if (quoted && c == '\\' && i + 1 < args.length()) {
        current.append(c).append(args.charAt(++i));
        continue;
      }
      if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')') {
        depth--;
      } else if (!quoted && depth == 0 && c == ',') {
        parts.add(current.toString());
        current.setLength(0);
        continue;
      }
      current.append(c);
    }
    if (!current.toString().isBlank()) {
      parts.add(current.toString());
    }
    return parts;
  }
}
