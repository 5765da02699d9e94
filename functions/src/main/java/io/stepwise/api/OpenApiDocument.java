package io.stepwise.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API's OpenAPI 3.1 document: what micronaut-openapi wrote from the controllers at compile time
 * ({@value #GENERATED}), with its two nullable shapes corrected, pretty-printed. This is the one
 * document that is served, committed at {@code docs/openapi.json} and checked against every API
 * test exchange.
 *
 * <p>The corrections, both for OpenAPI 3.1 output of {@code @Nullable} properties
 * (micronaut-openapi 6.20): a nullable reference comes out as {@code
 * {"type":"null","allOf":[{"$ref":...}]}}, which only {@code null} can satisfy (a real error object
 * failed it), and becomes {@code {"anyOf":[{"allOf":[...]},{"type":"null"}]}}; a nullable scalar
 * comes out as {@code ["string","null","object"]}, and loses the stray {@code "object"}.
 */
public final class OpenApiDocument {

  static final String GENERATED = "META-INF/swagger/stepwise-openapi.json";

  private OpenApiDocument() {}

  /** The corrected document's bytes (UTF-8, two-space indented, a final newline). */
  public static byte[] load(JsonMapper json) {
    try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(GENERATED)) {
      if (in == null) {
        throw new IllegalStateException(
            GENERATED + " is missing: the build's OpenAPI generation did not run");
      }
      return write(correct(json.readValue(in.readAllBytes(), JsonNode.class)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode correct(JsonNode node) {
    if (node.isArray()) {
      List<JsonNode> items = new ArrayList<>();
      node.values().forEach(item -> items.add(correct(item)));
      return JsonNode.createArrayNode(items);
    }
    if (!node.isObject()) {
      return node;
    }
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    node.entries().forEach(e -> fields.put(e.getKey(), correct(e.getValue())));
    JsonNode type = fields.get("type");
    if (type != null
        && type.isString()
        && type.getStringValue().equals("null")
        && fields.containsKey("allOf")) {
      fields.remove("type");
      return JsonNode.createObjectNode(
          Map.of(
              "anyOf",
              JsonNode.createArrayNode(
                  List.of(
                      JsonNode.createObjectNode(fields),
                      JsonNode.createObjectNode(
                          Map.of("type", JsonNode.createStringNode("null")))))));
    }
    if (type != null && type.isArray() && type.size() == 3) {
      List<String> names = new ArrayList<>();
      type.values().forEach(t -> names.add(t.coerceStringValue()));
      if (names.contains("null") && names.contains("object")) {
        names.remove("object");
        fields.put(
            "type",
            JsonNode.createArrayNode(names.stream().map(JsonNode::createStringNode).toList()));
      }
    }
    return JsonNode.createObjectNode(fields);
  }

  private static byte[] write(JsonNode document) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator generator =
        new JsonFactory().createGenerator(out).useDefaultPrettyPrinter()) {
      write(generator, document);
    }
    out.write('\n');
    return out.toByteArray();
  }

  private static void write(JsonGenerator out, JsonNode node) throws IOException {
    if (node.isObject()) {
      out.writeStartObject();
      for (Map.Entry<String, JsonNode> e : node.entries()) {
        out.writeFieldName(e.getKey());
        write(out, e.getValue());
      }
      out.writeEndObject();
    } else if (node.isArray()) {
      out.writeStartArray();
      for (JsonNode item : node.values()) {
        write(out, item);
      }
      out.writeEndArray();
    } else if (node.isString()) {
      out.writeString(node.getStringValue());
    } else if (node.isBoolean()) {
      out.writeBoolean(node.getBooleanValue());
    } else if (node.isNumber()) {
      out.writeNumber(node.getNumberValue().toString());
    } else {
      out.writeNull();
    }
  }
}
